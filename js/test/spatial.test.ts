import assert from "node:assert/strict";
import { test } from "node:test";
import { GridIndex, pointInPolygon } from "../src/plot/spatial";

function random(n: number, seed = 1): Float32Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Float32Array.from({ length: 2 * n }, () => rnd() * 10 - 5);
}

function bruteNearest(xy: Float32Array, x: number, y: number, r: number): number {
  let best = -1, bd = r * r;
  for (let i = 0; i < xy.length / 2; i++) {
    const d = (xy[2 * i] - x) ** 2 + (xy[2 * i + 1] - y) ** 2;
    if (d < bd || (d === bd && (best < 0 || i < best))) {
      best = i;
      bd = d;
    }
  }
  return best;
}

test("nearest agrees with brute force on random points", () => {
  const xy = random(5000);
  const grid = new GridIndex(xy);
  const queries = random(300, 7);
  for (let q = 0; q < 300; q++) {
    for (const r of [0.01, 0.1, 1, 20]) {
      assert.equal(grid.nearest(queries[2 * q], queries[2 * q + 1], r), bruteNearest(xy, queries[2 * q], queries[2 * q + 1], r));
    }
  }
});

test("nearest returns -1 outside the radius and far outside the bounds", () => {
  const grid = new GridIndex(new Float32Array([0, 0, 1, 1]));
  assert.equal(grid.nearest(0.5, 0.5, 0.1), -1);
  assert.equal(grid.nearest(100, 100, 1), -1);
  assert.equal(grid.nearest(0.9, 0.9, 0.5), 1);
});

test("inRect finds exactly the points in the box, corners in any order", () => {
  const xy = random(2000, 3);
  const grid = new GridIndex(xy);
  const got = grid.inRect(2, 1, -1, -3);
  const want = [];
  for (let i = 0; i < 2000; i++) if (xy[2 * i] >= -1 && xy[2 * i] <= 2 && xy[2 * i + 1] >= -3 && xy[2 * i + 1] <= 1) want.push(i);
  assert.deepEqual(got, want);
});

test("inPolygon: a triangle lasso, and degenerate lassos select nothing", () => {
  const xy = new Float32Array([0, 0, 1, 0.2, 0.2, 1, 2, 2, -1, 0.5]);
  const grid = new GridIndex(xy);
  assert.deepEqual(grid.inPolygon([-0.5, -0.5, 2, -0.5, -0.5, 2]), [0, 1, 2]);
  assert.deepEqual(grid.inPolygon([0, 0, 1, 1]), []);
});

test("pointInPolygon handles a concave polygon", () => {
  const u = [0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3]; // a U shape
  assert.equal(pointInPolygon(0.5, 2, u), true);
  assert.equal(pointInPolygon(1.5, 2, u), false);
  assert.equal(pointInPolygon(1.5, 0.5, u), true);
});

test("points at NaN are never hit", () => {
  const grid = new GridIndex(new Float32Array([NaN, NaN, 0, 0]));
  assert.equal(grid.nearest(0, 0, 1), 1);
  assert.deepEqual(grid.inRect(-1e9, -1e9, 1e9, 1e9), [1]);
});
