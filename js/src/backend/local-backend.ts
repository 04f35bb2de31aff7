/**
 * Answers the explorer's queries in the browser, from vectors embedded in a standalone page,
 * with the same request and reply shapes as the kernel (the table QUERIES in
 * w2v_widgets/widgets/explorer/queries.py); both run the golden cases of
 * tests/widgets/explorer_contract.json in their tests (js/test/contract.test.ts here).
 */

import { clampInt, type Reply } from "./protocol";
import type { Neighbour } from "../types";
import { analogyRanks, type AnalogyResult, METHODS, type Method } from "./analogy";
import { analogy, complete, cosineAll, nearest, prefixIndex, type Scored, signedSum, topK, unitRow, unitVector, type VectorTable } from "./vecmath";

export interface PlotAccess {
  words(): string[];
  xy(): Float32Array;
  codes(): Int32Array;
  /** Append a point; returns its index. */
  addPoint(word: string, x: number, y: number, code: number): number;
  /** How many leading points sit where a linear map (PCA) put them (0: the layout is not linear). */
  linearPoints?(): number;
}

/** How many plotted neighbours place a newly added word (similarity-weighted mean position). */
export const PLACE_NEIGHBOURS = 5;

class UnknownWord extends Error {
  constructor(
    readonly word: string,
    readonly suggestions: string[],
  ) {
    super(`word ${JSON.stringify(word)} is not in the vocabulary${suggestions.length ? `; did you mean ${suggestions.map((s) => JSON.stringify(s)).join(", ")}?` : ""}`);
  }
}

export class LocalBackend {
  private readonly lookup = new Map<string, number>();
  private readonly order: Int32Array;
  private pointCache: { words: string[]; map: Map<string, number> } | null = null;

  constructor(
    private readonly words: string[],
    private readonly table: VectorTable,
    private readonly plot: PlotAccess,
    /** The most neighbours a query returns: the widget's `max_k` (queries.py MAX_K). */
    private readonly maxK: number,
  ) {
    words.forEach((w, i) => {
      if (!this.lookup.has(w)) this.lookup.set(w, i);
    });
    this.order = prefixIndex(words);
  }

  handle(msg: Record<string, unknown>): Reply {
    const id = String(msg.id ?? "");
    try {
      return { id, result: this.answer(msg) };
    } catch (err) {
      const suggestions = err instanceof UnknownWord ? err.suggestions : undefined;
      return { id, error: err instanceof Error ? err.message : String(err), ...(suggestions ? { suggestions } : {}) };
    }
  }

  private answer(msg: Record<string, unknown>): unknown {
    const k = clampInt(msg.k, 10, 1, this.maxK);
    switch (msg.type) {
      case "ping":
        return { pong: true };
      case "neighbours": {
        const word = String(msg.word);
        return { word, items: this.items(nearest(this.table, this.index(word), k)) };
      }
      case "complete": {
        const prefix = String(msg.prefix ?? "");
        return { prefix, words: complete(this.words, this.order, prefix, clampInt(msg.limit, 10, 0, 100)) };
      }
      case "search":
        return this.search(strings(msg.positive), strings(msg.negative), k);
      case "add":
        return this.add(String(msg.word));
      case "analogy":
        return this.analogy(msg.a, msg.b, msg.c, k);
      case "cancel_layout":
        return { cancelled: false }; // the page computes no layouts
      default:
        throw new Error(`unknown query type ${JSON.stringify(msg.type)}`);
    }
  }

  private index(word: string): number {
    const i = this.lookup.get(word);
    if (i !== undefined) return i;
    throw new UnknownWord(word, this.suggest(word));
  }

  private suggest(word: string): string[] {
    for (let n = Array.from(word).length - 1; n >= 1; n--) {
      const prefix = Array.from(word).slice(0, n).join("");
      const hits = complete(this.words, this.order, prefix, 5);
      if (hits.length) return hits;
    }
    return [];
  }

  private points(): Map<string, number> {
    const words = this.plot.words();
    if (this.pointCache?.words !== words) {
      const map = new Map<string, number>();
      words.forEach((w, i) => {
        if (!map.has(w)) map.set(w, i);
      });
      this.pointCache = { words, map };
    }
    return this.pointCache.map;
  }

  private items(s: Scored): Neighbour[] {
    const points = this.points();
    return s.indices.map((i, r) => ({ word: this.words[i], score: s.scores[r], point: points.get(this.words[i]) ?? -1 }));
  }

  private search(positive: string[], negative: string[], k: number) {
    if (positive.length === 0) throw new Error("give at least one word with a + sign");
    const pos = positive.map((w) => this.index(w));
    const neg = negative.map((w) => this.index(w));
    return { positive, negative, items: this.items(analogy(this.table, pos, neg, k)) };
  }

  private add(word: string) {
    const v = this.index(word);
    const existing = this.points().get(word);
    if (existing !== undefined) return { word, point: existing };
    const xy = this.plot.xy();
    const codes = this.plot.codes();
    const best = this.nearestPlotted(unitRow(this.table, v));
    const [x, y] = weightedMean(best, xy);
    const code = best.indices.length ? codes[best.indices[0]] : 0;
    return { word, point: this.plot.addPoint(word, x, y, code) };
  }

  /** The plotted words nearest (by cosine) to a unit vector: the ones that place it. */
  private nearestPlotted(unit: Float32Array): Scored {
    const all = cosineAll(this.table, unit);
    const plottedScores = this.plot.words().map((w) => {
      const j = this.lookup.get(w);
      return j === undefined ? -Infinity : all[j];
    });
    return topK(plottedScores, PLACE_NEIGHBOURS);
  }

  private analogy(a: unknown, b: unknown, c: unknown, k: number): AnalogyResult {
    if (typeof a !== "string" || typeof b !== "string" || typeof c !== "string") {
      throw new Error("an analogy needs three words a, b, c (a - b + c)");
    }
    const [ia, ib, ic] = [a, b, c].map((w) => this.index(w));
    const ranks = analogyRanks(this.table, ia, ib, ic, k);
    const answers = {} as AnalogyResult["answers"];
    for (const m of METHODS as readonly Method[]) answers[m] = { excluded: this.items(ranks[m].excluded), included: this.items(ranks[m].included) };
    return { a, b, c, dim: this.table.dim, answers, ...this.locate(a, b, c, ia, ib, ic) };
  }

  /** â − b̂ + ĉ on the map: on a linear (PCA) map the weights 1 − 1 + 1 send it exactly to
   * xy_a − xy_b + xy_c; otherwise it sits at the weighted mean of its nearest plotted words. */
  private locate(a: string, b: string, c: string, ia: number, ib: number, ic: number): Pick<AnalogyResult, "target" | "placement"> {
    const xy = this.plot.xy();
    if (this.plot.words().length === 0) return { target: null, placement: "none" };
    const linear = this.plot.linearPoints?.() ?? 0;
    const points = [a, b, c].map((w) => this.points().get(w) ?? -1);
    if (points.every((p) => p >= 0 && p < linear)) {
      const [pa, pb, pc] = points;
      const at = (d: number) => xy[2 * pa + d] - xy[2 * pb + d] + xy[2 * pc + d];
      return { target: [at(0), at(1)], placement: "linear" };
    }
    const best = this.nearestPlotted(unitVector(signedSum(this.table, [ia, ic], [ib])));
    return { target: weightedMean(best, xy), placement: "neighbours" };
  }
}

/** Similarity-weighted mean of the neighbours' positions (weights clipped at a small positive floor). */
export function weightedMean(best: Scored, xy: Float32Array): [number, number] {
  let sx = 0, sy = 0, sw = 0;
  best.indices.forEach((p, r) => {
    const w = Math.max(best.scores[r], 1e-3);
    sx += w * xy[2 * p];
    sy += w * xy[2 * p + 1];
    sw += w;
  });
  return sw > 0 ? [sx / sw, sy / sw] : [0, 0];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}
