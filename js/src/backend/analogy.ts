/**
 * The standalone page's analogy answers (the kernel's are w2v_widgets/widgets/explorer/analogy.py,
 * and both answer the golden cases of tests/widgets/explorer_contract.json): `a - b + c` scored
 * over every embedded word by 3CosAdd (cosine to â − b̂ + ĉ, gensim's most_similar) and 3CosMul
 * (cos'(x,a)·cos'(x,c) / (cos'(x,b) + 1e-6) with cos' = (1 + cos) / 2, gensim's
 * most_similar_cosmul), each with the question words left out and kept in.
 */

import type { Neighbour } from "../types";
import { cosineAll, type Scored, signedSum, topK, unitRow, unitVector, type VectorTable } from "./vecmath";

export const METHODS = ["3CosAdd", "3CosMul"] as const;
export type Method = (typeof METHODS)[number];

/** Where the answer vector goes: the map's own (linear) projection, its nearest plotted words, or nowhere. */
export type Placement = "linear" | "neighbours" | "none";

export interface AnalogyLists {
  excluded: Neighbour[];
  included: Neighbour[];
}

export interface AnalogyResult {
  a: string;
  b: string;
  c: string;
  /** Dimensions of the vectors the answers come from. */
  dim: number;
  answers: Record<Method, AnalogyLists>;
  /** Map position of â − b̂ + ĉ (layout coordinates), null with nothing plotted. */
  target: [number, number] | null;
  placement: Placement;
}

/** Every row's score as the answer to `a - b + c` (row indices) under `method`. */
export function analogyScores(t: VectorTable, a: number, b: number, c: number, method: Method): Float32Array {
  if (method === "3CosAdd") return cosineAll(t, unitVector(signedSum(t, [a, c], [b])));
  const shifted = (i: number) => cosineAll(t, unitRow(t, i)).map((x) => (1 + x) / 2);
  const [sa, sb, sc] = [shifted(a), shifted(b), shifted(c)];
  return sa.map((x, i) => (x * sc[i]) / (sb[i] + 1e-6));
}

/** The top `k` under each method, without and with the question words (ties: lower index first). */
export function analogyRanks(t: VectorTable, a: number, b: number, c: number, k: number): Record<Method, { excluded: Scored; included: Scored }> {
  const out = {} as Record<Method, { excluded: Scored; included: Scored }>;
  for (const method of METHODS) {
    const scores = analogyScores(t, a, b, c, method);
    out[method] = { excluded: topK(scores, k, new Set([a, b, c])), included: topK(scores, k) };
  }
  return out;
}
