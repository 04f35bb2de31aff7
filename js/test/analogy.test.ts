// Analogies: the search box's `a - b + c` (quoted words with spaces, unicode, hostile text), the
// standalone backend's answers (3CosAdd and 3CosMul by hand, with and without the question
// words) and where it puts the answer vector, and the arrows' screen geometry.
import assert from "node:assert/strict";
import { test } from "node:test";
import golden from "../../tests/widgets/explorer_contract.json";
import { analogyScores } from "../src/backend/analogy";
import { LocalBackend } from "../src/backend/local-backend";
import { ParseError, parseQuery, quoteWord, replaceLastToken } from "../src/backend/query";
import { makeTable } from "../src/backend/vecmath";
import { memoryPlot } from "./support/memory-plot";
import { analogyGeometry } from "../src/plot/arrows";

// the same list as tests/support/hostile.py
const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "</script><script>alert(2)</script>",
  "<svg/onload=alert(3)>",
  "a&amp;b",
  "x\u2028y",
  "'\"`",
  "${alert(4)}",
  "{{constructor.constructor('alert(5)')()}}",
  "javascript:alert(6)",
  '=HYPERLINK("http://x.example","y")',
  "+1+cmd|' /C calc'!A0",
  "-2+3",
  "@SUM(1+1)",
  "\u202egnp.exe",
  "__proto__",
];

test("king - man + woman in its spellings", () => {
  const expected = { positive: ["king", "woman"], negative: ["man"] };
  for (const text of ["king - man + woman", "king -man +woman", "  king\t-  man +\nwoman ", '"king" - "man" + "woman"', 'king -"man" +"woman"']) {
    assert.deepEqual(parseQuery(text), expected, text);
  }
});

test("quoted words keep spaces, signs, quotes and backslashes", () => {
  assert.deepEqual(parseQuery('"new york" - "ny" + paris'), { positive: ["new york", "paris"], negative: ["ny"] });
  assert.deepEqual(parseQuery('"-2+3" - "a \\"b\\" \\\\c" + "  "'), { positive: ["-2+3", "  "], negative: ['a "b" \\c'] });
  assert.deepEqual(parseQuery('-"new york" + x'), { positive: ["x"], negative: ["new york"] });
  assert.throws(() => parseQuery('"new york'), /no closing quote/);
  assert.throws(() => parseQuery('king - -"man"'), ParseError);
  assert.throws(() => parseQuery('"a" "b"'), /put \+ or -/);
});

test("unicode words: accents, scripts, emoji (surrogate pairs) and a line separator in quotes", () => {
  assert.deepEqual(parseQuery("könig - mann + frau"), { positive: ["könig", "frau"], negative: ["mann"] });
  assert.deepEqual(parseQuery("王 - 男 + 女"), { positive: ["王", "女"], negative: ["男"] });
  assert.deepEqual(parseQuery("👑🤴 - 👨 + 👩‍🦰"), { positive: ["👑🤴", "👩‍🦰"], negative: ["👨"] });
  assert.deepEqual(parseQuery('"x\u2028y" - a + b'), { positive: ["x\u2028y", "b"], negative: ["a"] });
});

test("every hostile word survives quoting and parsing unchanged, as any of the three terms", () => {
  for (const word of HOSTILE) {
    const q = quoteWord(word);
    assert.deepEqual(parseQuery(q), { positive: [word], negative: [] }, q);
    assert.deepEqual(parseQuery(`${q} - man + woman`), { positive: [word, "woman"], negative: ["man"] }, q);
    assert.deepEqual(parseQuery(`king - ${q} + ${q}`), { positive: ["king", word], negative: [word] }, q);
  }
  assert.equal(quoteWord("paris"), "paris");
  assert.equal(replaceLastToken("king - new y", "new york"), 'king - new "new york"');
  assert.equal(replaceLastToken("king - ma", "man"), "king - man");
});

// a: (1,0,0), b: (0,1,0), c: (0,0,1), d = (1,-1,1)/√3 (a - b + c exactly), e near a
const R3 = 1 / Math.sqrt(3);
const WORDS = ["a", "b", "c", "d", "e", HOSTILE[0]];
const VECS = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, R3, -R3, R3, 0.9, 0.1, 0.1, 0.2, 0.3, -0.9]);

function backend(plotted: string[], xy: number[], linear = 0) {
  const { plot } = memoryPlot(plotted, xy, new Int32Array(plotted.length), linear);
  return new LocalBackend(WORDS, makeTable(VECS, WORDS.length, 3), plot, golden.max_k);
}

function cos(i: number, v: number[]): number {
  const u = Array.from(VECS.slice(3 * i, 3 * i + 3));
  const nu = Math.hypot(...u), nv = Math.hypot(...v);
  return (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (nu * nv);
}

test("3CosAdd and 3CosMul scores by hand for a - b + c", () => {
  const t = makeTable(VECS, WORDS.length, 3);
  const add = analogyScores(t, 0, 1, 2, "3CosAdd");
  const mul = analogyScores(t, 0, 1, 2, "3CosMul");
  const unit = (i: number) => Array.from(VECS.slice(3 * i, 3 * i + 3));
  WORDS.forEach((_, i) => {
    assert.ok(Math.abs(add[i] - cos(i, [1, -1, 1])) < 1e-6, `3CosAdd ${i}`);
    const s = (j: number) => (1 + cos(i, unit(j))) / 2;
    assert.ok(Math.abs(mul[i] - (s(0) * s(2)) / (s(1) + 1e-6)) < 1e-5, `3CosMul ${i}`);
  });
});

test("the backend lists both methods without and with the question words; d wins, a wins when kept in", () => {
  const r = backend(["a", "b", "c", "d", "e"], [0, 0, 1, 0, 0, 1, 1, 1, 0.2, 0.1]).handle({ id: "x", type: "analogy", a: "a", b: "b", c: "c", k: 3 }) as any;
  assert.equal(r.id, "x");
  const words = (m: string, which: string) => r.result.answers[m][which].map((it: any) => it.word);
  assert.deepEqual(words("3CosAdd", "excluded"), ["d", "e", HOSTILE[0]]);
  assert.equal(words("3CosAdd", "included")[0], "d");
  assert.deepEqual(words("3CosMul", "excluded").slice(0, 2), ["d", "e"]);
  assert.ok(words("3CosAdd", "included").includes("a") && !words("3CosAdd", "excluded").includes("a"));
  assert.equal(r.result.dim, 3);
  assert.deepEqual(r.result.answers["3CosAdd"].excluded.map((it: any) => it.point), [3, 4, -1]);
});

test("on a linear (PCA) map the vector lands at xy_a - xy_b + xy_c; otherwise among its nearest words", () => {
  const xy = [0, 0, 1, 0, 0, 1, 5, 5, 0.2, 0.1];
  const linear = backend(["a", "b", "c", "d", "e"], xy, 5).handle({ id: "l", type: "analogy", a: "a", b: "b", c: "c" }) as any;
  assert.equal(linear.result.placement, "linear");
  assert.deepEqual(linear.result.target, [0 - 1 + 0, 0 - 0 + 1]);
  const near = backend(["a", "b", "c", "d", "e"], xy, 0).handle({ id: "n", type: "analogy", a: "a", b: "b", c: "c" }) as any;
  assert.equal(near.result.placement, "neighbours");
  // the 5 plotted words weighted by cosine to (1,-1,1)/√3, floored at 1e-3
  let sx = 0, sy = 0, sw = 0;
  [0, 1, 2, 3, 4].forEach((i) => {
    const w = Math.max(cos(i, [1, -1, 1]), 1e-3);
    sx += w * xy[2 * i];
    sy += w * xy[2 * i + 1];
    sw += w;
  });
  assert.ok(Math.abs(near.result.target[0] - sx / sw) < 1e-5 && Math.abs(near.result.target[1] - sy / sw) < 1e-5);
  // a question word placed later (beyond the linear points) falls back to the neighbours
  const added = backend(["b", "c", "d", "e", "a"], [1, 0, 0, 1, 5, 5, 0.2, 0.1, 0, 0], 4).handle({ id: "m", type: "analogy", a: "a", b: "b", c: "c" }) as any;
  assert.equal(added.result.placement, "neighbours");
  const none = backend([], []).handle({ id: "z", type: "analogy", a: "a", b: "b", c: "c" }) as any;
  assert.deepEqual([none.result.target, none.result.placement], [null, "none"]);
});

test("bad analogy requests are errors with the request's id, hostile words are data", () => {
  const b = backend(["a"], [0, 0]);
  const unknown = b.handle({ id: "u", type: "analogy", a: "a", b: "bb", c: "c" });
  assert.equal(unknown.id, "u");
  assert.match(unknown.error!, /not in the vocabulary/);
  assert.match(b.handle({ id: "v", type: "analogy", a: "a", c: "c" }).error!, /three words/);
  const hostile = b.handle({ id: "w", type: "analogy", a: HOSTILE[0], b: "b", c: "c", k: 6 }) as any;
  assert.equal(hostile.result.a, HOSTILE[0]);
  assert.ok(hostile.result.answers["3CosAdd"].included.some((it: any) => it.word === HOSTILE[0]));
  assert.ok(!hostile.result.answers["3CosAdd"].excluded.some((it: any) => it.word === HOSTILE[0]));
});

test("arrow geometry: b → a and c → target share the offset on a linear map; missing points drop their segments", () => {
  const cam = { cx: 0, cy: 0, scale: 100, width: 400, height: 400 };
  const xy = Float32Array.from([1, 1, 0, 0, 0, 1, 1, 2]); // a, b, c, top answer
  const g = analogyGeometry(xy, cam, { a: 0, b: 1, c: 2, target: [1, 2], answers: [3], label: "a − b + c" });
  assert.deepEqual(g.offset, [200, 200, 300, 100]);
  assert.deepEqual(g.copy, [200, 100, 300, 0]);
  assert.equal(g.offset![2] - g.offset![0], g.copy![2] - g.copy![0]);
  assert.equal(g.offset![3] - g.offset![1], g.copy![3] - g.copy![1]);
  assert.deepEqual(g.sides, [[200, 200, 200, 100], [300, 100, 300, 0]]);
  assert.deepEqual(g.gap, [300, 0, 300, 0]);
  const partial = analogyGeometry(xy, cam, { a: -1, b: 1, c: 2, target: null, answers: [], label: "" });
  assert.deepEqual([partial.offset, partial.copy, partial.gap, partial.target, partial.sides.length], [null, null, null, null, 1]);
});

test("the note says the arrows are a projection, exact on a linear map and approximate otherwise", async () => {
  const { placementNote } = await import("../src/panel/analogy");
  const base = { a: "king", b: "man", c: "woman", dim: 100, answers: {} as never, target: [0, 0] as [number, number] };
  const linear = placementNote({ ...base, placement: "linear" }, "PCA");
  assert.match(linear, /PCA map is linear, so ✕ is the exact projection of king − man \+ woman/);
  const near = placementNote({ ...base, placement: "neighbours" }, "t-SNE");
  assert.match(near, /t-SNE map is no linear function.*5 nearest plotted words \(an approximation\)/);
  for (const note of [linear, near]) assert.match(note, /arrows are a 2-D projection; the answers come from the full 100-dimensional space/);
});
