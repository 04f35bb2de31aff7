// A plot held in plain arrays, for the standalone page's LocalBackend in tests: the backend reads
// it and appends added words to it; `state` shows the tests what it holds now.
import type { PlotAccess } from "../../src/backend/local-backend";

export interface PlotState {
  words: string[];
  xy: Float32Array;
  codes: Int32Array;
}

/** `words` plotted at `xy` (x, y per word) with `codes`; `linear` leading points laid out by PCA. */
export function memoryPlot(words: string[], xy: ArrayLike<number>, codes = new Int32Array(words.length), linear = 0): { plot: PlotAccess; state: PlotState } {
  const state: PlotState = { words: words.slice(), xy: Float32Array.from(xy), codes };
  const plot: PlotAccess = {
    words: () => state.words,
    xy: () => state.xy,
    codes: () => state.codes,
    addPoint(word, x, y, code) {
      state.words = [...state.words, word];
      state.xy = Float32Array.from([...state.xy, x, y]);
      state.codes = Int32Array.from([...state.codes, code]);
      return state.words.length - 1;
    },
    linearPoints: () => linear,
  };
  return { plot, state };
}
