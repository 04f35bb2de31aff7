/** The synced traits of `CompareExplorer` (see w2v_widgets/widgets/compare/widget.py). */

import type { WireArray } from "../backend/codecs";
import type { Neighbour } from "../types";
import type { WireWords } from "../plot/words";

export interface MovedWord {
  word: string;
  displacement: number;
  overlap: number;
  rank: number;
}

export interface CompareModelState {
  _view: "compare";
  _words: WireWords;
  _xy_a: WireArray | null;
  _xy_b: WireArray | null;
  _codes: WireArray | null;
  _palette: string[];
  _legend: { label: string; color: number }[];
  _moved: MovedWord[];
  _names: string[];
  _summary: { shared?: number; n_fit?: number; mean_overlap?: number; only_a?: number; only_b?: number };
  _focus: { word?: string; seq?: number };
  _standalone: boolean;
  t: number;
  k: number;
  /** The bound on `k` (queries.py MAX_K). */
  max_k: number;
  top_labels: number;
  height: number;
}

/** A word's neighbours in both runs (null where a run lacks the word). */
export interface BothNeighbours {
  word: string;
  a: Neighbour[] | null;
  b: Neighbour[] | null;
}
