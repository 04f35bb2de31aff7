import assert from "node:assert/strict";
import { test } from "node:test";
import { type LabelCandidate, overlaps, placeLabels } from "../src/plot/labels";

const measure = (t: string) => t.length * 7;
const opts = { width: 400, height: 300, lineHeight: 16, offset: 5 };

test("no two placed labels overlap and all stay inside the view", () => {
  const cands: LabelCandidate[] = [];
  for (let i = 0; i < 300; i++) cands.push({ id: i, text: `word${i}`, x: (i * 37) % 400, y: (i * 53) % 300, priority: i % 7 });
  const placed = placeLabels(cands, measure, opts);
  assert.ok(placed.length > 10);
  for (let a = 0; a < placed.length; a++) {
    const p = placed[a];
    assert.ok(p.x >= 0 && p.y >= 0 && p.x + p.w <= 400 && p.y + p.h <= 300);
    for (let b = a + 1; b < placed.length; b++) assert.ok(!overlaps(p, placed[b]), `${p.text} overlaps ${placed[b].text}`);
  }
});

test("the higher priority label wins a conflict", () => {
  const placed = placeLabels(
    [
      { id: 1, text: "low", x: 100, y: 100, priority: 1 },
      { id: 2, text: "high", x: 100, y: 100, priority: 5 },
    ],
    () => 400, // too wide for two to fit anywhere
    { ...opts, width: 1000 },
  );
  assert.deepEqual(placed.map((p) => p.id), [2]);
});

test("a label tries the other sides when the right side is taken or outside", () => {
  const placed = placeLabels([{ id: 0, text: "edge", x: 395, y: 150, priority: 1 }], measure, opts);
  assert.equal(placed.length, 1);
  assert.ok(placed[0].x + placed[0].w <= 395); // placed to the left
});

test("quota caps a group, maxLabels caps all, duplicates are placed once", () => {
  const cands = Array.from({ length: 20 }, (_, i) => ({ id: i % 10, text: "w", x: i * 20, y: i * 14, priority: 1, group: "frequent" }));
  assert.equal(placeLabels(cands, measure, { ...opts, quota: { frequent: 3 } }).length, 3);
  assert.equal(placeLabels(cands, measure, { ...opts, maxLabels: 4 }).length, 4);
  assert.equal(new Set(placeLabels(cands, measure, opts).map((p) => p.id)).size, placeLabels(cands, measure, opts).length);
});
