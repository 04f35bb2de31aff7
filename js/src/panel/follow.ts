/**
 * The "following training" box of the side panel: which update the map shows, and for each
 * pinned word the neighbours it gained (+) and lost (−) since the previous update. The state
 * comes from the kernel's `_follow` trait (w2v_widgets/widgets/explorer/follow.py); the points'
 * move itself is animated by the renderer. Words are inserted as text only.
 */

import "./follow.css";
import { displayWord, ellipsize, h, setText } from "./dom";

export interface FollowChange {
  word: string;
  neighbours: string[];
  gained: string[];
  lost: string[];
  /** No earlier list to compare with (pinned since the previous update). */
  first: boolean;
}

export interface FollowState {
  active?: boolean;
  update?: number;
  label?: string;
  frame?: string;
  changes?: FollowChange[];
}

export interface ChangeLine {
  word: string;
  gained: string[];
  lost: string[];
  /** What to say when there is no list to show. */
  note: string | null;
}

const SHOWN = 12;

/** One line per pinned word: what it gained and lost, or why there is nothing to list. */
export function changeLines(state: FollowState): ChangeLine[] {
  return (state.changes ?? []).map((c) => {
    const gained = (c.gained ?? []).slice(0, SHOWN);
    const lost = (c.lost ?? []).slice(0, SHOWN);
    let note: string | null = null;
    if (c.first) note = "pinned: changes from the next update";
    else if (gained.length === 0 && lost.length === 0) note = "same neighbours";
    return { word: c.word, gained, lost, note };
  });
}

/** The box's heading: the update shown and the frame. */
export function followTitle(state: FollowState): string {
  const frame = state.frame ? ` (${state.frame} frame)` : "";
  return `${state.label ?? "following training"}${frame}`;
}

export function buildFollowBox(): HTMLDivElement {
  return h("div", { className: "w2v-follow", hidden: true, "aria-live": "polite" });
}

function wordList(className: string, sign: string, words: string[], pick: (word: string) => void): HTMLElement {
  const span = h("span", { className }, sign);
  words.forEach((w, i) => {
    const b = h("button", { type: "button", className: "w2v-change-item", title: displayWord(w) }, ellipsize(displayWord(w), 20));
    b.addEventListener("click", () => pick(w));
    span.append(i ? ", " : " ", b);
  });
  return span;
}

/** Show `state` in `box` (hidden when the explorer does not follow a model). */
export function renderFollow(box: HTMLDivElement, state: FollowState | null | undefined, pick: (word: string) => void): void {
  if (!state || state.update === undefined) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.dataset.update = String(state.update);
  box.dataset.active = String(Boolean(state.active));
  const title = h("div", { className: "w2v-follow-title" });
  setText(title, followTitle(state));
  const lines = changeLines(state);
  const rows = lines.map((line) => {
    const row = h("div", { className: "w2v-change", "data-word": line.word }, h("span", { className: "w2v-change-word", title: displayWord(line.word) }, ellipsize(displayWord(line.word), 24)));
    if (line.note) row.append(" ", h("span", { className: "w2v-change-note" }, line.note));
    if (line.gained.length) row.append(" ", wordList("w2v-gained", "+", line.gained, pick));
    if (line.lost.length) row.append(" ", wordList("w2v-lost", "−", line.lost, pick));
    return row;
  });
  if (rows.length === 0) rows.push(h("div", { className: "w2v-change-note" }, "Click a point to pin it: pinned words list the neighbours they gain (+) and lose (−) at each update."));
  box.replaceChildren(title, ...rows);
}
