import assert from "node:assert/strict";
import { test } from "node:test";
import { farNeighbours } from "../src/plot/overlay";

test("farNeighbours: only listed neighbours at least 80 px from their word on screen", () => {
  const cam = { cx: 0, cy: 0, scale: 100, width: 400, height: 400 };
  // word 0 at the centre; 1 is 50 px away, 2 is 100 px away, 3 is 500 px away (off screen)
  const xy = Float32Array.from([0, 0, 0.5, 0, 0, 1, 5, 0]);
  assert.deepEqual(farNeighbours(xy, cam, 0, [1, 2, 3]), [2, 3]);
  assert.deepEqual(farNeighbours(xy, cam, -1, [1, 2, 3]), []);
  assert.deepEqual(farNeighbours(xy, cam, 0, [0, 9]), []);
});
