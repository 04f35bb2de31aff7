import assert from "node:assert/strict";
import { test } from "node:test";
import golden from "../../tests/widgets/explorer_contract.json";
import { makeTable } from "../src/backend/vecmath";
import { CompareBackend, RunTable } from "../src/compare/backend";
import { bothEnds, clampT, morph, sharedSummary, sharedWords, withPositions } from "../src/compare/morph";
import { trails } from "../src/compare/trail";
import { readPlotData } from "../src/plot/plotdata";

const EVIL = "<img src=x onerror=alert(1)>";

test("morph interpolates each coordinate linearly and clamps t to [0, 1]", () => {
  const a = Float32Array.from([0, 0, 2, -2]);
  const b = Float32Array.from([4, 2, 2, 6]);
  assert.deepEqual([...morph(a, b, 0)], [0, 0, 2, -2]);
  assert.deepEqual([...morph(a, b, 1)], [4, 2, 2, 6]);
  assert.deepEqual([...morph(a, b, 0.25)], [1, 0.5, 2, 0]);
  assert.deepEqual([...morph(a, b, 7)], [4, 2, 2, 6]);
  assert.deepEqual([...morph(a, b, -1)], [0, 0, 2, -2]);
  assert.equal(clampT(Number.NaN), 0);
  assert.equal(clampT("1"), 0);
  assert.throws(() => morph(a, Float32Array.from([1, 2]), 0.5), /differ in length/);
});

test("bothEnds frames every position the slider reaches", () => {
  assert.deepEqual([...bothEnds(Float32Array.from([1, 2]), Float32Array.from([3, 4]))], [1, 2, 3, 4]);
});

test("withPositions keeps words (and their lookup), colours, and hit-tests the new positions", () => {
  const words = ["a", EVIL, "c"];
  const xyA = Float32Array.from([0, 0, 1, 0, 0, 1]);
  const state: Record<string, unknown> = {
    _words: words,
    _xy: { view: new DataView(xyA.buffer), dtype: "float32", shape: [3, 2] },
    _codes: null,
    _palette: ["#ff0000"],
  };
  const base = readPlotData(((k: string) => state[k]) as never)!;
  const moved = withPositions(base, Float32Array.from([5, 5, 1, 0, 0, 1]));
  assert.equal(moved.words, base.words);
  assert.equal(moved.words.pointOf(EVIL), 1);
  assert.equal(moved.grid.nearest(5, 5, 0.1), 0);
  assert.equal(base.grid.nearest(5, 5, 0.1), -1);
});

test("sharedWords and the heading count the neighbours both runs list", () => {
  const a = [{ word: "x", score: 1, point: 0 }, { word: EVIL, score: 0.9, point: -1 }, { word: "y", score: 0.5, point: 1 }];
  const b = [{ word: EVIL, score: 0.8, point: -1 }, { word: "z", score: 0.7, point: 2 }, { word: "x", score: 0.1, point: 0 }];
  assert.deepEqual([...sharedWords(a, b)].sort(), [EVIL, "x"].sort());
  assert.equal(sharedSummary(a, b), "2 of 3 shared");
  assert.equal(sharedSummary(a, null), "only in the first run");
  assert.equal(sharedSummary(null, b), "only in the second run");
  assert.equal(sharedWords(null, b).size, 0);
});

// run a: p, q, r, s at 0, 10, 80 and 180 degrees; run b lacks s and puts r next to p.
const rad = (d: number) => (d * Math.PI) / 180;
const at = (...deg: number[]) => Float32Array.from(deg.flatMap((d) => [Math.cos(rad(d)), Math.sin(rad(d))]));

function backend() {
  const a = new RunTable(["p", "q", "r", EVIL], makeTable(at(0, 10, 80, 180), 4, 2));
  const b = new RunTable(["r", "q", "p"], makeTable(at(5, 60, 0), 3, 2));
  const plotted = new Map([["p", 0], ["q", 1], ["r", 2]]);
  return new CompareBackend(a, b, (w) => plotted.get(w) ?? -1, golden.max_k);
}

test("the compare backend answers both runs' neighbours, by cosine, with the request's id", () => {
  const r = backend().handle({ id: "c1", type: "neighbours", word: "p", k: 2 }) as any;
  assert.equal(r.id, "c1");
  assert.equal(r.result.word, "p");
  assert.deepEqual(r.result.a.map((i: any) => [i.word, i.point]), [["q", 1], ["r", 2]]);
  assert.deepEqual(r.result.b.map((i: any) => [i.word, i.point]), [["r", 2], ["q", 1]]);
  assert.ok(Math.abs(r.result.b[0].score - Math.cos(rad(5))) < 1e-6);
});

test("a word one run lacks gets null there; a word in neither is an error; ping; unknown types", () => {
  const be = backend();
  const r = be.handle({ id: "c2", type: "neighbours", word: EVIL, k: 1 }) as any;
  assert.equal(r.result.b, null);
  assert.deepEqual(r.result.a.map((i: any) => i.word), ["r"]);
  const missing = be.handle({ id: "c3", type: "neighbours", word: "nope", k: 1 });
  assert.equal(missing.id, "c3");
  assert.match(missing.error!, /in neither run/);
  assert.deepEqual(be.handle({ id: "c4", type: "ping" }), { id: "c4", result: { pong: true } });
  assert.match(be.handle({ id: "c5", type: "add", word: "p" }).error!, /unknown query type/);
  assert.match(be.handle({ id: "c6", type: "neighbours", word: 3 }).error!, /needs a word/);
});

test("trails run from each word's place in run a to its place in run b, on screen", () => {
  const cam = { cx: 0, cy: 0, scale: 10, width: 100, height: 100 };
  const a = Float32Array.from([0, 0, 1, 1]);
  const b = Float32Array.from([2, 0, 1, 1]);
  const t = trails([0, -1, 0, 1, 7], a, b, cam);
  assert.deepEqual(t.map((x) => x.point), [0, 1]);
  assert.deepEqual([t[0].ax, t[0].ay, t[0].bx, t[0].by], [50, 50, 70, 50]);
  assert.deepEqual([t[1].ax, t[1].ay], [t[1].bx, t[1].by]); // did not move
});
