import assert from "node:assert/strict";
import { test } from "node:test";
import { analogy, complete, cosineAll, makeTable, nearest, prefixIndex, topK, unitRow } from "../src/backend/vecmath";

const S = Math.SQRT1_2;
// a = (1, 0), b = (1, 1)/√2, c = (0, 1), d = (-1, 0): rows already unit length.
const table = makeTable(Float32Array.from([1, 0, S, S, 0, 1, -1, 0]), 4, 2);
const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test("nearest by cosine excludes the word itself (hand-computed)", () => {
  const r = nearest(table, 0, 2);
  assert.deepEqual(r.indices, [1, 2]);
  close(r.scores[0], S);
  close(r.scores[1], 0);
});

test("analogy b - a: normalised mean of ±unit vectors, inputs excluded (hand-computed)", () => {
  // unit(b) - unit(a) = (-0.29289, 0.70711); normalised (-0.38268, 0.92388)
  const r = analogy(table, [1], [0], 2);
  assert.deepEqual(r.indices, [2, 3]);
  close(r.scores[0], 0.9238795);
  close(r.scores[1], 0.3826834);
});

test("int8 rows give the same cosines as their float values", () => {
  const q = makeTable(Int8Array.from([127, 0, 90, 90, 0, 127, -127, 0]), 4, 2);
  const f = cosineAll(table, unitRow(table, 0));
  const g = cosineAll(q, unitRow(q, 0));
  for (let i = 0; i < 4; i++) close(f[i], g[i], 1e-6);
});

test("zero rows score 0 instead of NaN", () => {
  const z = makeTable(Float32Array.from([1, 0, 0, 0]), 2, 2);
  assert.deepEqual(Array.from(cosineAll(z, unitRow(z, 0))), [1, 0]);
  assert.deepEqual(Array.from(unitRow(z, 1)), [0, 0]);
});

test("topK: best first, ties by lower index, exclusions and NaN skipped", () => {
  const r = topK([0.5, 0.9, NaN, 0.9, 0.1, 0.7], 3, new Set([5]));
  assert.deepEqual(r.indices, [1, 3, 0]);
  assert.deepEqual(topK([1, 2], 5).indices, [1, 0]);
  assert.deepEqual(topK([1, 2], 0).indices, []);
});

test("makeTable rejects a wrong size", () => {
  assert.throws(() => makeTable(new Float32Array(5), 2, 2), /expected 2×2/);
});

test("complete: prefix matches, most frequent (lowest index) first, limited", () => {
  const words = ["the", "paris", "par", "pa", "Paris", "apple", "parisian", "p"];
  const order = prefixIndex(words);
  assert.deepEqual(complete(words, order, "par", 10), ["paris", "par", "parisian"]);
  assert.deepEqual(complete(words, order, "pa", 2), ["paris", "par"]);
  assert.deepEqual(complete(words, order, "zz", 5), []);
  assert.deepEqual(complete(words, order, "", 3), ["the", "paris", "par"]);
  assert.deepEqual(complete(words, order, "P", 5), ["Paris"]);
});
