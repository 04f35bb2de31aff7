import assert from "node:assert/strict";
import { test } from "node:test";
import { changeLines, followTitle } from "../src/panel/follow";

test("changeLines lists gained and lost neighbours, or says why there are none", () => {
  const lines = changeLines({
    update: 3,
    changes: [
      { word: "cat", neighbours: ["dog", "cow"], gained: ["cow"], lost: ["stones"], first: false },
      { word: "one", neighbours: ["two"], gained: [], lost: [], first: false },
      { word: "<b>x</b>", neighbours: ["two"], gained: [], lost: [], first: true },
    ],
  });
  assert.deepEqual(lines, [
    { word: "cat", gained: ["cow"], lost: ["stones"], note: null },
    { word: "one", gained: [], lost: [], note: "same neighbours" },
    { word: "<b>x</b>", gained: [], lost: [], note: "pinned: changes from the next update" },
  ]);
});

test("changeLines shows at most 12 words a side; followTitle names the frame", () => {
  const many = Array.from({ length: 20 }, (_, i) => `w${i}`);
  const [line] = changeLines({ update: 1, changes: [{ word: "a", neighbours: many, gained: many, lost: many, first: false }] });
  assert.equal(line.gained.length, 12);
  assert.equal(line.lost.length, 12);
  assert.equal(followTitle({ update: 2, label: "update 2 · epoch 1 of 5", frame: "aligned" }), "update 2 · epoch 1 of 5 (aligned frame)");
  assert.equal(followTitle({ update: 1 }), "following training");
  assert.deepEqual(changeLines({}), []);
});
