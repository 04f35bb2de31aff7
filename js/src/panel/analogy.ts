/**
 * The analogy section of the side panel: `a - b + c` (from `ex.show_analogy` or typed in the
 * search box) answered by the kernel or the standalone page's backend, listed under 3CosAdd and
 * 3CosMul with a toggle that keeps the question words in or leaves them out, and the marks that
 * the overlay draws as arrows (plot/arrows.ts). Says on screen that the arrows are a 2-D picture
 * and where the answers come from. Every word goes in as text (dom.ts).
 */

import { displayWord, ellipsize, h, setText } from "./dom";
import { type PanelHandlers, setList } from "./panel";
import { QueryError, type QueryClient, STALE } from "../backend/protocol";
import { type AnalogyResult, METHODS } from "../backend/analogy";
import type { AnalogyMarks } from "../plot/arrows";
import type { PlotData } from "../plot/plotdata";
import type { Neighbour } from "../types";

/** Answers of each list ringed and labelled on the map. */
const MARKED_ANSWERS = 3;

export interface AnalogyRequest {
  a: string;
  b: string;
  c: string;
  k?: number;
  exclude?: boolean;
}

export interface AnalogyHost {
  data(): PlotData | null;
  k(): number;
  handlers(): PanelHandlers;
  /** Plot a vocabulary word (kernel or standalone backend); the data change re-asks. */
  add(word: string): Promise<unknown>;
  /** The marks changed: redraw the overlay. */
  changed(): void;
  /** Frame these points and the layout coordinates `extra` (x, y). */
  fitPoints(points: number[], extra: number[]): void;
  showError(err: unknown): void;
  emit(name: string, detail: unknown): void;
}

/** "king − man + woman" (a minus sign, the words as given). */
export function analogyLabel(a: string, b: string, c: string): string {
  return `${a} − ${b} + ${c}`;
}

/** What the map can say about the ✕, for the note under the lists. */
export function placementNote(result: AnalogyResult, projection: string): string {
  const { a, b, c } = result;
  const where =
    result.placement === "linear"
      ? `The ${projection || "PCA"} map is linear, so ✕ is the exact projection of ${analogyLabel(a, b, c)} and the two arrows are the same offset ${a} − ${b}.`
      : result.placement === "neighbours"
        ? `A ${projection || "t-SNE"} map is no linear function of the vectors: ✕ is placed at the weighted mean of its 5 nearest plotted words (an approximation), so the arrows need not be parallel.`
        : "Nothing is plotted: no arrows.";
  return `${where} The arrows are a 2-D projection; the answers come from the full ${result.dim}-dimensional space.`;
}

export class AnalogyPanel {
  readonly el: HTMLElement;
  request: AnalogyRequest | null = null;
  result: AnalogyResult | null = null;
  private readonly title: HTMLHeadingElement;
  private readonly toggle: HTMLInputElement;
  private readonly toggleText: HTMLSpanElement;
  private readonly lists: Record<string, HTMLOListElement> = {};
  private readonly why: HTMLParagraphElement;
  private readonly note: HTMLParagraphElement;
  private asked = 0;

  constructor(
    private readonly client: QueryClient,
    private readonly host: AnalogyHost,
    private readonly projection: () => string,
  ) {
    this.title = h("h4", { className: "w2v-title w2v-analogy-title" });
    const close = h("button", { type: "button", className: "w2v-btn w2v-analogy-close", title: "Hide the analogy" }, "×");
    close.addEventListener("click", () => this.clear());
    this.toggle = h("input", { type: "checkbox", className: "w2v-analogy-exclude", checked: true });
    this.toggle.addEventListener("change", () => this.render());
    this.toggleText = h("span", {});
    const columns = METHODS.map((m) => {
      this.lists[m] = h("ol", { className: `w2v-list w2v-analogy-list`, "data-method": m });
      return h("div", { className: "w2v-analogy-col" }, h("h5", { className: "w2v-analogy-method" }, m), this.lists[m]);
    });
    this.why = h("p", { className: "w2v-analogy-why", hidden: true });
    this.note = h("p", { className: "w2v-analogy-note" });
    this.el = h(
      "section",
      { className: "w2v-analogy", hidden: true, "aria-label": "analogy" },
      h("div", { className: "w2v-analogy-head" }, this.title, close),
      h("label", { className: "w2v-analogy-toggle" }, this.toggle, this.toggleText),
      h("div", { className: "w2v-analogy-cols" }, ...columns),
      this.why,
      this.note,
    );
  }

  get exclude(): boolean {
    return this.toggle.checked;
  }

  /** Ask for `a - b + c` and show it; words not plotted yet are added to the map first. */
  async show(req: AnalogyRequest, fit = true): Promise<void> {
    this.request = req;
    if (req.exclude !== undefined) this.toggle.checked = req.exclude;
    const missing = [req.a, req.b, req.c].filter((w) => !this.host.data()?.words.has(w));
    const seq = ++this.asked;
    try {
      const res = await this.client.latest<AnalogyResult>("analogy", "analogy", { a: req.a, b: req.b, c: req.c, k: req.k ?? this.host.k() });
      if (res === STALE || seq !== this.asked) return;
      this.result = res;
      this.render();
      const plotted = [...this.answerPoints(), ...this.questionPoints()];
      if (fit && plotted.length) this.host.fitPoints(plotted, res.target ?? []);
      this.host.emit("w2v:analogy", res);
      for (const w of [...new Set(missing)]) await this.host.add(w);
    } catch (err) {
      if (seq !== this.asked) return;
      if (err instanceof QueryError) this.host.showError(err);
      else throw err;
    }
  }

  /** The layout changed: ask again (the ✕ is placed by the current layout). */
  relocate(): void {
    if (this.request && this.result) void this.show({ ...this.request, exclude: this.exclude }, false);
  }

  clear(): void {
    this.request = null;
    this.result = null;
    this.asked++;
    this.client.cancel("analogy");
    this.render();
  }

  /** Lists of the current toggle state (question words left out or kept in). */
  shownLists(): Record<string, Neighbour[]> {
    const out: Record<string, Neighbour[]> = {};
    for (const m of METHODS) out[m] = this.result ? this.result.answers[m][this.exclude ? "excluded" : "included"] : [];
    return out;
  }

  render(): void {
    const res = this.result;
    this.el.hidden = res === null;
    if (!res) {
      this.host.changed();
      return;
    }
    const plotted = this.host.data()?.words;
    const question = new Set([res.a, res.b, res.c]);
    setText(this.title, analogyLabel(res.a, res.b, res.c));
    setText(this.toggleText, ` leave out ${[...question].join(", ")}`);
    const lists = this.shownLists();
    for (const m of METHODS) {
      setList(this.lists[m], lists[m].map((it) => ({ ...it, point: plotted?.pointOf(it.word) ?? -1 })), this.host.handlers());
      lists[m].forEach((it, r) => {
        if (question.has(it.word)) this.lists[m].children[r]?.classList.add("w2v-question-word");
      });
    }
    const winners = METHODS.map((m) => lists[m][0]?.word).filter((w): w is string => w !== undefined && question.has(w));
    this.why.hidden = this.exclude || winners.length === 0;
    setText(
      this.why,
      winners.length
        ? `With the question words kept in, “${winners[0]}” itself comes first: ${analogyLabel(res.a, res.b, res.c)} stays close to its own terms. Evaluations (and gensim) leave them out.`
        : "",
    );
    setText(this.note, placementNote(res, this.projection()));
    this.host.changed();
  }

  private questionPoints(): number[] {
    const plotted = this.host.data()?.words;
    if (!this.result || !plotted) return [];
    return [this.result.a, this.result.b, this.result.c].map((w) => plotted.pointOf(w)).filter((i) => i >= 0);
  }

  private answerPoints(): number[] {
    const plotted = this.host.data()?.words;
    if (!plotted) return [];
    const words = Object.values(this.shownLists()).flatMap((items) => items.slice(0, MARKED_ANSWERS).map((it) => it.word));
    return [...new Set(words)].map((w) => plotted.pointOf(w)).filter((i) => i >= 0);
  }

  /** What the overlay draws, or null. */
  marks(): AnalogyMarks | null {
    const res = this.result;
    if (!res) return null; // before the words' lookup table: building it for 1M words delays the first frame
    const plotted = this.host.data()?.words;
    if (!plotted) return null;
    const at = (w: string) => plotted.pointOf(w);
    return { a: at(res.a), b: at(res.b), c: at(res.c), target: res.target, answers: this.answerPoints(), label: ellipsize(displayWord(analogyLabel(res.a, res.b, res.c)), 48) };
  }
}
