import assert from "node:assert/strict";
import { test } from "node:test";
import golden from "../../tests/widgets/explorer_contract.json";
import { LocalBackend, weightedMean } from "../src/backend/local-backend";
import { makeTable } from "../src/backend/vecmath";
import { memoryPlot } from "./support/memory-plot";

const S = Math.SQRT1_2;
const WORDS = ["a", "b", "c", "d", "<img src=x onerror=alert(1)>"];
const VECS = Float32Array.from([1, 0, S, S, 0, 1, -1, 0, S, -S]);

function setup(plotted = ["a", "c", "d"], xy = [0, 0, 10, 0, 0, 10]) {
  const { plot, state } = memoryPlot(plotted, xy, new Int32Array(plotted.length).map((_, i) => i));
  return { backend: new LocalBackend(WORDS, makeTable(VECS, 5, 2), plot, golden.max_k), state };
}

test("neighbours reply: same id, items with scores and plotted index or -1", () => {
  const { backend } = setup();
  const r = backend.handle({ id: "q1", type: "neighbours", word: "a", k: 2 }) as any;
  assert.equal(r.id, "q1");
  assert.equal(r.result.word, "a");
  assert.deepEqual(r.result.items.map((i: any) => [i.word, i.point]), [["b", -1], ["<img src=x onerror=alert(1)>", -1]]);
  assert.ok(Math.abs(r.result.items[0].score - S) < 1e-6);
});

test("unknown words come back as {id, error, suggestions}", () => {
  const { backend } = setup();
  const r = backend.handle({ id: "q2", type: "neighbours", word: "<img src=y>", k: 2 });
  assert.equal(r.id, "q2");
  assert.match(r.error!, /not in the vocabulary/);
  assert.deepEqual(r.suggestions, ["<img src=x onerror=alert(1)>"]);
  assert.match(backend.handle({ id: "q3", type: "nope" }).error!, /unknown query type/);
});

test("search runs analogies; complete finds prefixes", () => {
  const { backend } = setup();
  const r = backend.handle({ id: "s", type: "search", positive: ["b"], negative: ["a"], k: 1 }) as any;
  assert.deepEqual(r.result.items.map((i: any) => i.word), ["c"]);
  assert.equal(r.result.items[0].point, 1);
  const c = backend.handle({ id: "c", type: "complete", prefix: "<i", limit: 5 }) as any;
  assert.deepEqual(c.result.words, ["<img src=x onerror=alert(1)>"]);
});

test("add places a word at the similarity-weighted mean of its plotted neighbours", () => {
  const { backend, state } = setup();
  const r = backend.handle({ id: "a", type: "add", word: "b" }) as any;
  assert.equal(r.result.point, 3);
  assert.equal(state.words[3], "b");
  // plotted a (0,0) s=√½, c (10,0) s=√½, d (0,10) s=-√½→floor 1e-3
  const [x, y] = [state.xy[6], state.xy[7]];
  const w = S + S + 1e-3;
  assert.ok(Math.abs(x - (10 * S) / w) < 1e-4 && Math.abs(y - (10 * 1e-3) / w) < 1e-4);
  assert.equal((backend.handle({ id: "a2", type: "add", word: "b" }) as any).result.point, 3);
});

test("weightedMean of no neighbours is the origin", () => {
  assert.deepEqual(weightedMean({ indices: [], scores: [] }, new Float32Array(0)), [0, 0]);
});
