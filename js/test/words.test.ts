// The plotted words as the kernel packs them (UTF-8 bytes end to end + int32 ends, w2v_widgets/
// widgets/arrays.py) or as a list of strings (the standalone page): decoding, lookup, matching.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readPlotData, startPositions } from "../src/plot/plotdata";
import { PackedWords, WordList } from "../src/plot/words";

const HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "a&amp;b", "x\u2028y", "'\"`", "${alert(4)}", "\u202egnp.exe", "__proto__", "constructor"];
const SCRIPTS = ["東京", "서울", "שָׁלוֹם", "مرحبا", "👩‍🔬", "naïve", "a b", ""];
const WORDS = [...HOSTILE, ...SCRIPTS, "w"];

/** A packed value as the kernel sends it: DataViews at offsets inside larger buffers. */
function wire(words: string[]) {
  const parts = words.map((w) => new TextEncoder().encode(w));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total + 3); // at an odd offset, as a buffer inside a message may be
  const ends = new Int32Array(words.length + 1);
  let at = 0;
  parts.forEach((p, i) => {
    bytes.set(p, 3 + at);
    ends[i + 1] = at += p.length;
  });
  return {
    utf8: { view: new DataView(bytes.buffer, 3, total), dtype: "uint8" as const, shape: [total] },
    ends: { view: new DataView(ends.buffer, 4, 4 * words.length), dtype: "int32" as const, shape: [words.length] },
  };
}

test("packed words read back as written: hostile text, CJK, RTL, combining marks, emoji", () => {
  const value = wire(WORDS);
  const list = WordList.from(value);
  assert.equal(list.length, WORDS.length);
  assert.deepEqual(list.toArray(), WORDS);
  WORDS.forEach((w, i) => assert.equal(list.at(i), w));
  assert.equal(list.at(-1), undefined);
  assert.equal(list.at(WORDS.length), undefined);
  assert.equal(WordList.from(value), list, "one list (and lookup table) per trait value");
});

test("pointOf finds the first point of a word, -1 for others; a list of strings answers the same", () => {
  const words = [...WORDS, "東京", HOSTILE[0]];
  for (const list of [WordList.from(wire(words)), WordList.from(words)]) {
    WORDS.forEach((w, i) => assert.equal(list.pointOf(w), i, w));
    assert.equal(list.pointOf("東"), -1);
    assert.equal(list.pointOf("toString"), -1);
    assert.equal(list.pointOf("W"), -1);
    assert.ok(list.has("서울") && !list.has("서"));
  }
  const many = Array.from({ length: 5000 }, (_, i) => `w${i}`);
  const packed = PackedWords.pack(many);
  assert.ok(many.every((w, i) => packed.pointOf(w) === i));
  assert.equal(WordList.from(null).length, 0);
});

test("startPositions matches points by word between packed lists: appended, reordered, the same", () => {
  const state = (words: string[], xy: number[]) => ({
    _words: wire(words),
    _xy: { view: new DataView(Float32Array.from(xy).buffer), dtype: "float32", shape: [words.length, 2] },
    _codes: null,
    _palette: [],
  });
  const read = (s: Record<string, unknown>) => readPlotData(((k: string) => s[k]) as never)!;
  const old = read(state(["東京", "b", HOSTILE[0]], [0, 0, 1, 1, 2, 2]));
  const current = Float32Array.from([10, 10, 11, 11, 12, 12]);
  const appended = read(state(["東京", "b", HOSTILE[0], "new"], [0, 0, 1, 1, 2, 2, 5, 5]));
  assert.deepEqual([...startPositions(old, appended, current)], [10, 10, 11, 11, 12, 12, 5, 5]);
  const reordered = read(state([HOSTILE[0], "x", "東京"], [0, 0, 7, 7, 2, 2]));
  assert.deepEqual([...startPositions(old, reordered, current)], [12, 12, 7, 7, 10, 10]);
  assert.deepEqual([...startPositions(old, old, current)], [...current]);
});
