import assert from "node:assert/strict";
import { test } from "node:test";
import { boundsOf, type Camera, fitBounds, lerpCamera, panBy, toScreenX, toScreenY, toWorld, visibleBounds, zoomAt } from "../src/plot/camera";

const cam: Camera = { cx: 1, cy: 2, scale: 10, width: 200, height: 100 };

test("world and screen transforms are inverse, y points up", () => {
  assert.equal(toScreenX(cam, 1), 100);
  assert.equal(toScreenY(cam, 2), 50);
  assert.equal(toScreenY(cam, 3), 40); // one unit up = 10 px up
  const [x, y] = toWorld(cam, 37, 81);
  assert.ok(Math.abs(toScreenX(cam, x) - 37) < 1e-9 && Math.abs(toScreenY(cam, y) - 81) < 1e-9);
});

test("zoomAt keeps the point under the cursor fixed", () => {
  const before = toWorld(cam, 150, 20);
  const z = zoomAt(cam, 150, 20, 2, cam.scale);
  assert.equal(z.scale, 20);
  const after = toWorld(z, 150, 20);
  assert.ok(Math.abs(before[0] - after[0]) < 1e-9 && Math.abs(before[1] - after[1]) < 1e-9);
});

test("zoomAt clamps the scale relative to the base scale", () => {
  assert.equal(zoomAt(cam, 0, 0, 1e9, 10).scale, 10 * 400);
  assert.equal(zoomAt(cam, 0, 0, 1e-9, 10).scale, 10 * 0.2);
});

test("panBy moves the content with the pointer", () => {
  const p = panBy(cam, 20, -10);
  assert.equal(toScreenX(p, 1), 120);
  assert.equal(toScreenY(p, 2), 40);
});

test("fitBounds shows the whole box with padding, centred", () => {
  const f = fitBounds({ x0: -1, y0: -1, x1: 3, y1: 1 }, 220, 120, 10);
  assert.equal(f.cx, 1);
  assert.equal(f.cy, 0);
  assert.equal(f.scale, 50); // min(200/4, 100/2)
  const v = visibleBounds(f);
  assert.ok(v.x0 <= -1 && v.x1 >= 3 && v.y0 <= -1 && v.y1 >= 1);
});

test("boundsOf ignores non-finite values and defaults to a unit box", () => {
  assert.deepEqual(boundsOf([0, 0, NaN, 5, 2, -1]), { x0: 0, y0: -1, x1: 2, y1: 0 });
  assert.deepEqual(boundsOf([]), { x0: -1, y0: -1, x1: 1, y1: 1 });
});

test("lerpCamera interpolates the scale geometrically", () => {
  const a = { ...cam, scale: 1 };
  const b = { ...cam, cx: 11, scale: 100 };
  const m = lerpCamera(a, b, 0.5);
  assert.ok(Math.abs(m.scale - 10) < 1e-9);
  assert.equal(m.cx, 6);
});
