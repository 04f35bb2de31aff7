/**
 * The side panel's behaviour: neighbour lists for hovered/pinned/focused words, the search box
 * (autocomplete, words and analogies) with its results, adding unplotted words, and errors.
 * All answers come through the query client (kernel or standalone backend).
 */

import { type Layout, type PanelHandlers, setCompletions, setError, setList, setTitle } from "./panel";
import type { PlotData } from "../plot/plotdata";
import { debounce, QueryClient, QueryError, STALE } from "../backend/protocol";
import { lastToken, ParseError, parseQuery } from "../backend/query";
import type { AddResult, CompleteResult, Neighbour, NeighbourResult, SearchResult } from "../types";

export type Reason = "hover" | "pin" | "focus";

/** What the panel needs from the rest of the view. */
export interface PanelHost {
  data(): PlotData | null;
  k(): number;
  /** Centre the view on a plotted word (or on a word about to be plotted). */
  focus(word: string): void;
  fitPoints(points: number[]): void;
  /** Lists changed: recompute the marks drawn on the plot. */
  listsChanged(): void;
  emit(name: string, detail: unknown): void;
  handlers(): PanelHandlers;
  /** Show `a - b + c` as an analogy (null: hide it); absent where the view has none. */
  analogy?(question: { a: string; b: string; c: string } | null): void;
}

interface ResultList {
  title: string;
  items: Neighbour[];
  /** A searched word that was not plotted at the time. */
  unplotted?: string;
}

export class SidePanel {
  neighbours: NeighbourResult | null = null;
  results: ResultList | null = null;
  readonly completeSoon: ((text: string) => void) & { cancel(): void };

  constructor(
    private readonly layout: Layout,
    private readonly client: QueryClient,
    private readonly host: PanelHost,
  ) {
    this.completeSoon = debounce((text: string) => void this.complete(text), 60);
  }

  dispose(): void {
    this.completeSoon.cancel();
  }

  /** Words listed (neighbours and results), for the marks on the plot. */
  listedWords(): { source: string | null; neighbours: string[]; results: string[] } {
    return {
      source: this.neighbours?.word ?? null,
      neighbours: this.neighbours?.items.map((it) => it.word) ?? [],
      results: this.results?.items.map((it) => it.word) ?? [],
    };
  }

  /** Re-render both lists; `point` is re-derived as words may have been plotted since. */
  render(): void {
    const handlers = this.host.handlers();
    const plotted = this.results || this.neighbours ? this.host.data()?.words : undefined;
    const withPoints = (items: Neighbour[]) => items.map((it) => ({ ...it, point: plotted?.pointOf(it.word) ?? -1 }));
    const rl = this.results;
    const unplotted = rl?.unplotted !== undefined && !plotted?.has(rl.unplotted);
    setTitle(this.layout.resultsTitle, rl ? (unplotted ? `${rl.title} (not plotted)` : rl.title) : null);
    setList(this.layout.results, withPoints(rl?.items ?? []), handlers);
    if (this.neighbours) setTitle(this.layout.neighboursTitle, `Nearest to ${this.neighbours.word}`);
    setList(this.layout.neighbours, withPoints(this.neighbours?.items ?? []), handlers);
    this.host.listsChanged();
  }

  /** Ask for `word`'s neighbours; `since` is when the user acted (for the latency event). */
  async showNeighbours(word: string, reason: Reason, since = performance.now()): Promise<void> {
    try {
      const sent = performance.now();
      const res = await this.client.latest<NeighbourResult>("neighbours", "neighbours", { word, k: this.host.k(), reason });
      if (res === STALE) return;
      const replied = performance.now();
      this.neighbours = res;
      this.render();
      const shown = performance.now();
      // ms from the user's action to the list, and its parts: before the request left, the round
      // trip (transport and the kernel's answer), the lists and marks rendered
      const parts = { page: sent - since, roundTrip: replied - sent, render: shown - replied };
      this.host.emit("w2v:neighbours", { word, reason, ms: shown - since, parts });
    } catch (err) {
      this.showError(err);
    }
  }

  showError(err: unknown): void {
    const suggestions = err instanceof QueryError ? err.suggestions : [];
    const message = err instanceof Error ? err.message : err ? String(err) : "";
    setError(this.layout.error, message, suggestions, this.host.handlers());
  }

  async search(text: string): Promise<void> {
    this.showError("");
    this.clearCompletions();
    let query;
    try {
      query = parseQuery(text);
    } catch (err) {
      if (err instanceof ParseError) return this.showError(err);
      throw err;
    }
    if (this.host.analogy && query.positive.length === 2 && query.negative.length === 1) {
      this.results = null;
      this.render();
      return this.host.analogy({ a: query.positive[0], b: query.negative[0], c: query.positive[1] });
    }
    this.host.analogy?.(null);
    try {
      const res = await this.client.latest<SearchResult>("search", "search", { ...query, k: this.host.k() });
      if (res !== STALE) this.showSearch(res);
    } catch (err) {
      this.showError(err);
    }
  }

  /** A plotted word is focused (its neighbours listed below); analogies and unplotted words are
   * listed as results, with "+ plot" buttons for words not on the map. */
  private showSearch(res: SearchResult): void {
    const single = res.positive.length === 1 && res.negative.length === 0;
    const word = res.positive[0];
    const plotted = this.host.data()?.words;
    if (single && plotted?.has(word)) {
      this.results = null;
      this.render();
      this.host.focus(word);
    } else if (single) {
      this.results = { title: word, items: [{ word, score: 1, point: -1 }, ...res.items], unplotted: word };
      this.render();
    } else {
      const title = [res.positive.join(" + "), ...res.negative.map((w) => `− ${w}`)].join(" ");
      this.results = { title, items: res.items };
      this.render();
      this.host.fitPoints(res.items.map((it) => plotted?.pointOf(it.word) ?? -1).filter((i) => i >= 0));
    }
    this.host.emit("w2v:search", res);
  }

  private clearCompletions(): void {
    this.completeSoon.cancel();
    this.client.cancel("complete");
    setCompletions(this.layout.completions, [], this.host.handlers());
  }

  private async complete(text: string): Promise<void> {
    const prefix = lastToken(text);
    if (!prefix) return this.clearCompletions();
    try {
      const res = await this.client.latest<CompleteResult>("complete", "complete", { prefix, limit: 8 });
      if (res !== STALE) setCompletions(this.layout.completions, res.words, this.host.handlers());
    } catch (err) {
      this.showError(err);
    }
  }

  /** Plot a word (the kernel updates the traits), then focus it. */
  async add(word: string): Promise<void> {
    try {
      const res = await this.client.request<AddResult>("add", { word });
      this.showError("");
      this.host.focus(res.word);
    } catch (err) {
      this.showError(err);
    }
  }
}
