/**
 * The plotted points as read from the model: words, positions, colours and lookup structures.
 * The word index and the hit-testing grid are built on first use, so a million points are drawn
 * before those are ready.
 */

import { decodeFloat32, decodeInt32 } from "../backend/codecs";
import type { RGB } from "./scatter";
import { parseColor } from "./theme";
import { GridIndex } from "./spatial";
import type { ExplorerModelState } from "../types";

export interface PlotData {
  words: string[];
  index: Map<string, number>;
  xy: Float32Array;
  codes: Int32Array;
  palette: string[];
  /** The palette parsed to RGB for the rasteriser. */
  colors: RGB[];
  grid: GridIndex;
}

type Getter = <K extends keyof ExplorerModelState>(key: K) => ExplorerModelState[K];

/** Read the plot from the model; null while the traits disagree (e.g. mid-update). */
export function readPlotData(get: Getter): PlotData | null {
  const words = get("_words") ?? [];
  const xy = decodeFloat32(get("_xy"));
  if (xy.length !== 2 * words.length) return null;
  let codes = decodeInt32(get("_codes"));
  if (codes.length !== words.length) codes = new Int32Array(words.length);
  const palette = get("_palette")?.length ? get("_palette") : ["#4c78a8"];
  const colors = palette.map((c) => parseColor(c) ?? ([128, 128, 128] as RGB));
  let index: Map<string, number> | null = null;
  let grid: GridIndex | null = null;
  return {
    words,
    xy,
    codes,
    palette,
    colors,
    get index() {
      return (index ??= wordIndex(words));
    },
    get grid() {
      return (grid ??= new GridIndex(xy));
    },
  };
}

/** Word -> first point index. */
export function wordIndex(words: string[]): Map<string, number> {
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    if (!index.has(w)) index.set(w, i);
  });
  return index;
}

/** Starting positions for an animated move from `old` to `next`: matched by word, new points start in place. */
export function startPositions(old: PlotData, next: PlotData, current: Float32Array): Float32Array {
  const from = next.xy.slice();
  next.words.forEach((w, i) => {
    const j = old.index.get(w);
    if (j !== undefined && 2 * j + 1 < current.length) {
      from[2 * i] = current[2 * j];
      from[2 * i + 1] = current[2 * j + 1];
    }
  });
  return from;
}

/** Interpolate positions (`out` may be reused). */
export function lerpPositions(from: Float32Array, to: Float32Array, t: number, out: Float32Array): Float32Array {
  for (let i = 0; i < to.length; i++) out[i] = from[i] + (to[i] - from[i]) * t;
  return out;
}
