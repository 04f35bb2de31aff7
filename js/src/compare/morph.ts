/**
 * The compare view's arithmetic: positions between the two runs, the plot data at a slider
 * value (sharing the word index), and which listed neighbours the two runs agree on.
 */

import { lerpPositions, type PlotData } from "../plot/plotdata";
import { GridIndex } from "../plot/spatial";
import type { Neighbour } from "../types";

/** Clamp a slider value to [0, 1] (0: run a, 1: run b); anything not a number is 0. */
export function clampT(t: unknown): number {
  return typeof t === "number" && Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
}

/** Positions at `t` between `a` and `b` (same length; `out` may be reused). */
export function morph(a: Float32Array, b: Float32Array, t: number, out = new Float32Array(a.length)): Float32Array {
  if (a.length !== b.length) throw new Error(`the two layouts differ in length (${a.length} and ${b.length})`);
  return lerpPositions(a, b, clampT(t), out);
}

/** Both layouts in one array, so that fitting the view frames every position the slider reaches. */
export function bothEnds(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** `base`'s words (and their lookup table), colours with positions `xy` (the hit-testing grid is rebuilt on first use). */
export function withPositions(base: PlotData, xy: Float32Array): PlotData {
  let grid: GridIndex | null = null;
  return {
    words: base.words,
    codes: base.codes,
    palette: base.palette,
    colors: base.colors,
    xy,
    get grid() {
      return (grid ??= new GridIndex(xy));
    },
  };
}

/** Words listed in both runs' neighbour lists. */
export function sharedWords(a: Neighbour[] | null, b: Neighbour[] | null): Set<string> {
  if (!a || !b) return new Set();
  const inB = new Set(b.map((it) => it.word));
  return new Set(a.filter((it) => inB.has(it.word)).map((it) => it.word));
}

/** "6 of 10 shared" for the neighbour lists' heading. */
export function sharedSummary(a: Neighbour[] | null, b: Neighbour[] | null): string {
  if (!a || !b) return a ? "only in the first run" : b ? "only in the second run" : "";
  const k = Math.max(a.length, b.length);
  return `${sharedWords(a, b).size} of ${k} shared`;
}
