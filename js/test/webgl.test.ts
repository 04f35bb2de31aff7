import assert from "node:assert/strict";
import { test } from "node:test";
import { toScreenX, toScreenY } from "../src/plot/camera";
import { pointRadius } from "../src/plot/renderer";
import { clipTransform, DIMMED, NORMAL, pointColors, pointStates, SELECTED } from "../src/plot/webgl";

test("clipTransform maps the camera's screen pixels to clip space (y up)", () => {
  const cam = { cx: 2, cy: -1, scale: 40, width: 400, height: 200 };
  const { scale, offset } = clipTransform(cam);
  for (const [x, y] of [[2, -1], [5, 1], [-3, 0.5]]) {
    const clipX = x * scale[0] + offset[0], clipY = y * scale[1] + offset[1];
    assert.ok(Math.abs(clipX - (toScreenX(cam, x) / cam.width) * 2 + 1) < 1e-12);
    assert.ok(Math.abs(clipY - (1 - (toScreenY(cam, y) / cam.height) * 2)) < 1e-12);
  }
});

test("pointColors looks codes up in the palette, grey for a missing code", () => {
  const rgba = pointColors(Int32Array.from([1, 0, 7]), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(rgba), [4, 5, 6, 255, 1, 2, 3, 255, 128, 128, 128, 255]);
});

test("pointStates dims the unselected only when something is selected", () => {
  assert.deepEqual(Array.from(pointStates(3, new Set())), [NORMAL, NORMAL, NORMAL]);
  assert.deepEqual(Array.from(pointStates(3, new Set([2, 9]))), [DIMMED, DIMMED, SELECTED]);
});

test("pointRadius: 2.5 px on sparse maps, smaller (down to 1) where a million points crowd", () => {
  assert.equal(pointRadius(2000, 900, 520, 1), 2.5);
  assert.equal(pointRadius(1_000_000, 900, 520, 1), 1);
  const zoomed = pointRadius(1_000_000, 900, 520, 3);
  assert.ok(zoomed > 1 && zoomed < 2.5);
  assert.equal(pointRadius(0, 900, 520, 1), 2.5);
});
