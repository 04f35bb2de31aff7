/**
 * The standalone page's word-vector maths (the kernel does this in Python otherwise): cosine
 * nearest neighbours, analogies and prefix completion over embedded vectors. Rows arrive
 * unit-normalised, as float32 or as int8 (per-row max-abs scaling; cosine needs no scale).
 */

export interface VectorTable {
  n: number;
  dim: number;
  data: Float32Array | Int8Array;
  /** Euclidean norm of each stored row (≈1 for float32, ≈127·k for int8). */
  norms: Float32Array;
}

export interface Scored {
  indices: number[];
  scores: number[];
}

export function makeTable(data: Float32Array | Int8Array, n: number, dim: number): VectorTable {
  if (data.length !== n * dim) throw new Error(`expected ${n}×${dim} values, got ${data.length}`);
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * dim, e = j + dim; j < e; j++) s += data[j] * data[j];
    norms[i] = Math.sqrt(s);
  }
  return { n, dim, data, norms };
}

/** Row `i` as a unit float vector (zero rows stay zero). */
export function unitRow(t: VectorTable, i: number): Float32Array {
  const out = new Float32Array(t.dim);
  const inv = t.norms[i] > 0 ? 1 / t.norms[i] : 0;
  for (let j = 0; j < t.dim; j++) out[j] = t.data[i * t.dim + j] * inv;
  return out;
}

/** Cosine similarity of a unit query vector with every row. */
export function cosineAll(t: VectorTable, q: Float32Array): Float32Array {
  const out = new Float32Array(t.n);
  const { data, dim } = t;
  for (let i = 0; i < t.n; i++) {
    let s = 0;
    for (let j = 0, o = i * dim; j < dim; j++) s += data[o + j] * q[j];
    out[i] = t.norms[i] > 0 ? s / t.norms[i] : 0;
  }
  return out;
}

/** The k best scores, best first (ties: lower index first), skipping `exclude`. */
export function topK(scores: ArrayLike<number>, k: number, exclude: ReadonlySet<number> = new Set()): Scored {
  const idx: number[] = [];
  const val: number[] = [];
  if (k <= 0) return { indices: idx, scores: val };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (exclude.has(i) || Number.isNaN(s)) continue;
    if (idx.length === k && s <= val[k - 1]) continue;
    let p = idx.length === k ? k - 1 : idx.length;
    if (idx.length < k) {
      idx.push(i);
      val.push(s);
    }
    while (p > 0 && val[p - 1] < s) {
      idx[p] = idx[p - 1];
      val[p] = val[p - 1];
      p--;
    }
    idx[p] = i;
    val[p] = s;
  }
  return { indices: idx, scores: val };
}

/** The k nearest rows to row `i` by cosine, excluding `i` itself. */
export function nearest(t: VectorTable, i: number, k: number): Scored {
  return topK(cosineAll(t, unitRow(t, i)), k, new Set([i]));
}

/** The sum of the `positive` rows' unit vectors minus the `negative` ones' (not normalised). */
export function signedSum(t: VectorTable, positive: number[], negative: number[]): Float32Array {
  const sum = new Float32Array(t.dim);
  const add = (i: number, w: number) => {
    const u = unitRow(t, i);
    for (let j = 0; j < t.dim; j++) sum[j] += w * u[j];
  };
  positive.forEach((i) => add(i, 1));
  negative.forEach((i) => add(i, -1));
  return sum;
}

/** `v` scaled to length 1 (a zero vector stays zero), as a new array. */
export function unitVector(v: Float32Array): Float32Array {
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += v[j] * v[j];
  norm = Math.sqrt(norm);
  return norm > 0 ? v.map((x) => x / norm) : v.slice();
}

/** gensim's most_similar: cosine to the normalised mean of ±unit vectors, inputs excluded. */
export function analogy(t: VectorTable, positive: number[], negative: number[], k: number): Scored {
  const mean = unitVector(signedSum(t, positive, negative));
  return topK(cosineAll(t, mean), k, new Set([...positive, ...negative]));
}

/** Word indices sorted by the words' UTF-16 order, for prefix search. */
export function prefixIndex(words: readonly string[]): Int32Array {
  const order = Int32Array.from(words.keys());
  order.sort((a, b) => (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : a - b));
  return order;
}

/** Up to `limit` words starting with `prefix`, most frequent (lowest index) first. */
export function complete(words: readonly string[], order: Int32Array, prefix: string, limit: number): string[] {
  if (limit <= 0) return [];
  let lo = 0, hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[order[mid]] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const hits: number[] = [];
  for (let p = lo; p < order.length && words[order[p]].startsWith(prefix); p++) hits.push(order[p]);
  hits.sort((a, b) => a - b);
  return hits.slice(0, limit).map((i) => words[i]);
}
