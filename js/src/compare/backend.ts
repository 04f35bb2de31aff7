/**
 * The compare page's answers without a kernel: each run's embedded unit vectors, and the hover
 * query answered from both with the kernel's request and reply shapes
 * (w2v_widgets/widgets/compare/queries.py).
 */

import { clampInt, type Reply } from "../backend/protocol";
import { nearest, type VectorTable } from "../backend/vecmath";
import { type EmbeddedArray, vectorTable } from "../standalone";
import type { Neighbour } from "../types";

export interface EmbeddedRun {
  words: string[];
  dim: number;
  vectors: EmbeddedArray;
}

/** One run's vectors, looked up by word. */
export class RunTable {
  readonly lookup = new Map<string, number>();
  constructor(
    readonly words: string[],
    readonly table: VectorTable,
  ) {
    words.forEach((w, i) => {
      if (!this.lookup.has(w)) this.lookup.set(w, i);
    });
  }

  static fromEmbedded(run: EmbeddedRun): RunTable {
    return new RunTable(run.words, vectorTable(run));
  }

  /** `word`'s k nearest words by cosine, or null when this run lacks it. */
  neighbours(word: string, k: number, points: (w: string) => number): Neighbour[] | null {
    const i = this.lookup.get(word);
    if (i === undefined) return null;
    const s = nearest(this.table, i, k);
    return s.indices.map((j, r) => ({ word: this.words[j], score: s.scores[r], point: points(this.words[j]) }));
  }
}

/** Answers `neighbours` and `ping` for the compare page, from both runs' tables. */
export class CompareBackend {
  constructor(
    private readonly a: RunTable,
    private readonly b: RunTable,
    private readonly points: (w: string) => number,
    /** The most neighbours a query returns: the widget's `max_k` (queries.py MAX_K). */
    private readonly maxK: number,
  ) {}

  handle(msg: Record<string, unknown>): Reply {
    const id = String(msg.id ?? "");
    try {
      return { id, result: this.answer(msg) };
    } catch (err) {
      return { id, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private answer(msg: Record<string, unknown>): unknown {
    if (msg.type === "ping") return { pong: true };
    if (msg.type !== "neighbours") throw new Error(`unknown query type ${JSON.stringify(msg.type)}`);
    if (typeof msg.word !== "string") throw new Error("neighbours needs a word");
    const word = msg.word;
    const k = clampInt(msg.k, 10, 1, this.maxK);
    const a = this.a.neighbours(word, k, this.points);
    const b = this.b.neighbours(word, k, this.points);
    if (!a && !b) throw new Error(`word ${JSON.stringify(word)} is in neither run`);
    return { word, a, b };
  }
}

