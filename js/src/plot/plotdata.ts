/**
 * The plotted points as read from the model: words, positions, colours and lookup structures.
 * The words' lookup table (words.ts) and the hit-testing grid are built on first use, so a
 * million points are drawn before those are ready.
 */

import { decodeFloat32, decodeInt32 } from "../backend/codecs";
import type { RGB } from "./scatter";
import { parseColor } from "./theme";
import { GridIndex } from "./spatial";
import type { ExplorerModelState } from "../types";
import { WordList } from "./words";

export interface PlotData {
  /** The words by point; `words.pointOf(word)` finds a word's point. */
  words: WordList;
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
  const words = WordList.from(get("_words"));
  const xy = decodeFloat32(get("_xy"));
  if (xy.length !== 2 * words.length) return null;
  let codes = decodeInt32(get("_codes"));
  if (codes.length !== words.length) codes = new Int32Array(words.length);
  const palette = get("_palette")?.length ? get("_palette") : ["#4c78a8"];
  const colors = palette.map((c) => parseColor(c) ?? ([128, 128, 128] as RGB));
  let grid: GridIndex | null = null;
  return {
    words,
    xy,
    codes,
    palette,
    colors,
    get grid() {
      return (grid ??= new GridIndex(xy));
    },
  };
}

/** Starting positions for an animated move from `old` to `next`: matched by word, new points start in place. */
export function startPositions(old: PlotData, next: PlotData, current: Float32Array): Float32Array {
  const from = next.xy.slice();
  const was = next.words.pointsIn(old.words);
  for (let i = 0; i < was.length; i++) {
    const j = was[i];
    if (j >= 0 && 2 * j + 1 < current.length) {
      from[2 * i] = current[2 * j];
      from[2 * i + 1] = current[2 * j + 1];
    }
  }
  return from;
}

/** Interpolate positions (`out` may be reused). */
export function lerpPositions(from: Float32Array, to: Float32Array, t: number, out: Float32Array): Float32Array {
  for (let i = 0; i < to.length; i++) out[i] = from[i] + (to[i] - from[i]) * t;
  return out;
}
