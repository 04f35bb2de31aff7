/**
 * The compare view's DOM: a toolbar with the morph slider between the two runs' names, the plot
 * (the explorer's canvases), and a side panel with the moved words, the hovered word's
 * neighbours in both runs side by side, and the legend. Words go in as text only.
 */

import { displayWord, ellipsize, h, setText } from "../panel/dom";
import { button } from "../panel/panel";
import type { Neighbour } from "../types";
import type { MovedWord } from "./types";

export const SLIDER_STEPS = 1000;

export interface CompareHandlers {
  slide(t: number, done: boolean): void;
  play(): void;
  fit(): void;
  focus(word: string): void;
  itemHover(word: string | null): void;
}

export interface CompareLayout {
  root: HTMLDivElement;
  plot: HTMLDivElement;
  base: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
  slider: HTMLInputElement;
  play: HTMLButtonElement;
  nameA: HTMLSpanElement;
  nameB: HTMLSpanElement;
  status: HTMLSpanElement;
  moved: HTMLOListElement;
  neighboursTitle: HTMLHeadingElement;
  titleA: HTMLHeadingElement;
  titleB: HTMLHeadingElement;
  listA: HTMLOListElement;
  listB: HTMLOListElement;
  legend: HTMLDivElement;
}

export function buildCompareLayout(el: HTMLElement, on: CompareHandlers): CompareLayout {
  const slider = h("input", { type: "range", className: "w2v-morph", min: 0, max: SLIDER_STEPS, step: 1, value: 0, "aria-label": "Morph the first run into the second" });
  slider.addEventListener("input", () => on.slide(Number(slider.value) / SLIDER_STEPS, false));
  slider.addEventListener("change", () => on.slide(Number(slider.value) / SLIDER_STEPS, true));
  const nameA = h("span", { className: "w2v-run-name w2v-run-a" });
  const nameB = h("span", { className: "w2v-run-name w2v-run-b" });
  const play = button("Play", "Morph from one run to the other", () => on.play(), "w2v-btn w2v-play");
  const status = h("span", { className: "w2v-status", role: "status" });
  const toolbar = h("div", { className: "w2v-toolbar" }, button("Fit", "Show all points", () => on.fit()), play, nameA, slider, nameB, status);
  const base = h("canvas", { className: "w2v-base" });
  const overlay = h("canvas", { className: "w2v-overlay", "aria-label": "word map of both runs" });
  const plot = h("div", { className: "w2v-plot" }, base, overlay);
  const moved = h("ol", { className: "w2v-list w2v-moved" });
  const neighboursTitle = h("h4", { className: "w2v-title w2v-neighbours-title" }, "Hover a point");
  const titleA = h("h5", { className: "w2v-run-title" });
  const titleB = h("h5", { className: "w2v-run-title" });
  const listA = h("ol", { className: "w2v-list w2v-nb-a" });
  const listB = h("ol", { className: "w2v-list w2v-nb-b" });
  const pair = h("div", { className: "w2v-pair" }, h("div", {}, titleA, listA), h("div", {}, titleB, listB));
  const legend = h("div", { className: "w2v-legend" });
  const note = h("div", { className: "w2v-note" }, "Map: one PCA of both runs after aligning them in the full space; a point's move is its displacement projected. Neighbours come from the full spaces.");
  const side = h(
    "div",
    { className: "w2v-side" },
    h("h4", { className: "w2v-title", title: "Distance between the word's unit vectors after the alignment (0 to 2), and how many of its nearest neighbours both runs share" }, "Moved most · distance · shared"),
    moved,
    neighboursTitle,
    pair,
    h("h4", { className: "w2v-title w2v-legend-title" }, "Colour: of each word's nearest neighbours, how many both runs share"),
    legend,
    note,
  );
  const root = h("div", { className: "w2v-explorer w2v-compare" }, h("div", { className: "w2v-main" }, toolbar, plot), side);
  el.append(root);
  return { root, plot, base, overlay, slider, play, nameA, nameB, status, moved, neighboursTitle, titleA, titleB, listA, listB, legend };
}

export function setNames(layout: CompareLayout, names: string[]): void {
  const [a, b] = [displayWord(names[0] ?? "a"), displayWord(names[1] ?? "b")];
  setText(layout.nameA, ellipsize(a, 18));
  setText(layout.nameB, ellipsize(b, 18));
  layout.nameA.title = a;
  layout.nameB.title = b;
  setText(layout.titleA, ellipsize(a, 22));
  setText(layout.titleB, ellipsize(b, 22));
}

function wordButton(word: string, detail: string, on: CompareHandlers, point: boolean): HTMLButtonElement {
  const shown = displayWord(word);
  const b = h(
    "button",
    { type: "button", className: "w2v-item", title: shown },
    h("span", { className: "w2v-word" }, ellipsize(shown, 24)),
    h("span", { className: "w2v-score" }, detail),
  );
  if (point) b.addEventListener("click", () => on.focus(word));
  b.addEventListener("mouseenter", () => on.itemHover(word));
  b.addEventListener("mouseleave", () => on.itemHover(null));
  return b;
}

export function setMoved(list: HTMLOListElement, moved: MovedWord[], k: number, on: CompareHandlers): void {
  list.replaceChildren(
    ...moved.map((m) => {
      const shared = Math.round(m.overlap * k);
      return h("li", {}, wordButton(m.word, `${m.displacement.toFixed(2)} · ${shared}/${k}`, on, true));
    }),
  );
}

/** One run's neighbour list; words both runs list are marked `w2v-common`. */
export function setNeighbours(list: HTMLOListElement, items: Neighbour[] | null, common: Set<string>, on: CompareHandlers, missing: string): void {
  if (!items) {
    list.replaceChildren(h("li", { className: "w2v-missing" }, missing));
    return;
  }
  list.replaceChildren(
    ...items.map((it) => {
      const cls = `${common.has(it.word) ? "w2v-common" : "w2v-own"} ${it.point >= 0 ? "w2v-plotted" : "w2v-unplotted"}`;
      return h("li", { className: cls }, wordButton(it.word, Number.isFinite(it.score) ? it.score.toFixed(2) : "", on, it.point >= 0));
    }),
  );
}
