/** Shapes shared by the view, the panel and the backends. */

import type { WireArray } from "./backend/codecs";
import type { FollowState } from "./panel/follow";
import type { WireWords } from "./plot/words";

/** The synced traits of `EmbeddingExplorer` (see w2v_widgets/widgets/explorer/widget.py). */
export interface ExplorerModelState {
  /** Packed by the kernel (plot/words.ts), a list of strings on the standalone page. */
  _words: WireWords;
  _xy: WireArray | null;
  _codes: WireArray | null;
  _palette: string[];
  _legend: { label: string; color: number }[];
  _progress: { active?: boolean; label?: string; started?: number; fraction?: number; eta_s?: number | null; cancellable?: boolean };
  _message: { level?: string; text?: string; seq?: number };
  _focus: { word?: string; seq?: number };
  /** Set by `show_analogy`: `a - b + c` to draw (k, exclude: the toggle's first state). */
  _analogy?: { a?: string; b?: string; c?: string; k?: number; exclude?: boolean; seq?: number };
  _projection: string;
  _standalone: boolean;
  /** Set while the map follows a model's training (absent on the standalone page). */
  _follow?: FollowState;
  selected: string[];
  pinned: string[];
  k: number;
  /** The bound on `k` (queries.py MAX_K). */
  max_k: number;
  top_labels: number;
  height: number;
}

export interface Neighbour {
  word: string;
  score: number;
  /** Index of the word among plotted points, or -1 when it is not plotted. */
  point: number;
}

export interface NeighbourResult {
  word: string;
  items: Neighbour[];
}

export interface SearchResult {
  positive: string[];
  negative: string[];
  items: Neighbour[];
}

export interface CompleteResult {
  prefix: string;
  words: string[];
}

export interface AddResult {
  word: string;
  point: number;
}

export type Mode = "pan" | "lasso" | "box";
