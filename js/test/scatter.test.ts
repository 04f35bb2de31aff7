import assert from "node:assert/strict";
import { test } from "node:test";
import type { Camera } from "../src/plot/camera";
import { discMask, fillRaster, type Raster, rasterPoints, ringMask, stamp } from "../src/plot/scatter";

function raster(w: number, h: number): Raster {
  const r = { data: new Uint8ClampedArray(w * h * 4), width: w, height: h };
  fillRaster(r, [255, 255, 255]);
  return r;
}

const px = (r: Raster, x: number, y: number) => Array.from(r.data.slice((y * r.width + x) * 4, (y * r.width + x) * 4 + 4));

test("a disc mask covers about πr² pixels, symmetrically, full at the centre", () => {
  const m = discMask(3);
  const area = m.cov.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(area - Math.PI * 9) < 2, `area ${area}`);
  const centre = Array.from(m.dx).findIndex((dx, k) => dx === 0 && m.dy[k] === 0);
  assert.equal(m.cov[centre], 1);
  const key = (k: number) => `${m.dx[k]},${m.dy[k]}`;
  const cov = new Map(Array.from(m.cov, (c, k) => [key(k), c]));
  for (const [xy, c] of cov) {
    const [x, y] = xy.split(",").map(Number);
    assert.equal(cov.get(`${-x},${y}`), c);
    assert.equal(cov.get(`${y},${x}`), c);
  }
});

test("a ring mask leaves the inside of the disc uncovered", () => {
  const m = ringMask(3, 1.5);
  for (let k = 0; k < m.cov.length; k++) assert.ok(Math.hypot(m.dx[k], m.dy[k]) > 2.4);
});

test("stamp paints the centre exactly, blends with alpha and clips at the edges", () => {
  const r = raster(10, 10);
  stamp(r, 5, 5, discMask(2), [255, 0, 0]);
  assert.deepEqual(px(r, 5, 5), [255, 0, 0, 255]);
  assert.deepEqual(px(r, 0, 0), [255, 255, 255, 255]);
  stamp(r, 1, 1, discMask(1), [0, 0, 255], 0.5);
  assert.ok(px(r, 1, 1).every((v, i) => Math.abs(v - [128, 128, 255, 255][i]) <= 1), String(px(r, 1, 1)));
  stamp(r, -1, 11, discMask(3), [0, 0, 0]); // partly outside: no throw
  assert.deepEqual(px(r, 0, 9), [0, 0, 0, 255]);
});

test("rasterPoints maps data to pixels through the camera and skips points out of view", () => {
  const r = raster(20, 10);
  const cam: Camera = { cx: 0, cy: 0, scale: 5, width: 20, height: 10 };
  const xy = Float32Array.from([0, 0, 1, 1, 100, 100]);
  const drawn = rasterPoints(r, xy, Int32Array.from([0, 1, 0]), [[255, 0, 0], [0, 255, 0]], cam, 1, { radius: 1 });
  assert.equal(drawn, 2);
  assert.deepEqual(px(r, 10, 5), [255, 0, 0, 255]); // (0,0) at the centre
  assert.deepEqual(px(r, 15, 0), [0, 255, 0, 255]); // (1,1): 5 px right, 5 px up
  const r2 = raster(40, 20); // device pixel ratio 2 doubles the positions
  rasterPoints(r2, xy, Int32Array.from([0, 1, 0]), [[255, 0, 0], [0, 255, 0]], cam, 2, { radius: 1 });
  assert.deepEqual(px(r2, 30, 0), [0, 255, 0, 255]);
});

test("keep filters points; unknown colour codes are drawn grey", () => {
  const r = raster(10, 10);
  const cam: Camera = { cx: 0, cy: 0, scale: 1, width: 10, height: 10 };
  const n = rasterPoints(r, Float32Array.from([0, 0, 3, 0]), Int32Array.from([7, 0]), [[0, 0, 0]], cam, 1, { radius: 1 }, (i) => i === 0);
  assert.equal(n, 1);
  assert.deepEqual(px(r, 5, 5), [128, 128, 128, 255]);
  assert.deepEqual(px(r, 8, 5), [255, 255, 255, 255]);
});
