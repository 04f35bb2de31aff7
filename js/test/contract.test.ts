// The standalone page's backend answers the golden requests of the explorer's query contract
// exactly as the kernel does (tests/widgets/test_explorer_contract.py runs the same file).
import assert from "node:assert/strict";
import { test } from "node:test";
import golden from "../../tests/widgets/explorer_contract.json";
import { LocalBackend } from "../src/backend/local-backend";
import { makeTable } from "../src/backend/vecmath";
import { memoryPlot } from "./support/memory-plot";

const TOLERANCE = 1e-5;

function fresh() {
  const { words, vectors } = golden.vocabulary;
  const { plot, state } = memoryPlot(golden.plot.words, golden.plot.xy.flat());
  const table = makeTable(Float32Array.from(vectors.flat()), words.length, vectors[0].length);
  return { backend: new LocalBackend(words, table, plot, golden.max_k), state };
}

function assertMatches(actual: unknown, expected: unknown, where = "result"): void {
  if (typeof expected === "number" && !Number.isInteger(expected)) {
    assert.ok(typeof actual === "number" && Math.abs(actual - expected) <= TOLERANCE, `${where}: ${actual} != ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
    expected.forEach((e, i) => assertMatches((actual as unknown[])[i], e, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    const a = actual as Record<string, unknown>;
    assert.deepEqual(Object.keys(a ?? {}).sort(), Object.keys(expected).sort(), `${where}: ${JSON.stringify(actual)}`);
    for (const [key, e] of Object.entries(expected)) assertMatches(a[key], e, `${where}.${key}`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

for (const c of golden.cases as Record<string, any>[]) {
  test(`contract: ${c.name}`, () => {
    const { backend, state } = fresh();
    const reply = backend.handle(c.request);
    assert.equal(reply.id, c.request.id);
    if (c.error_contains !== undefined) {
      assert.ok(reply.error?.includes(c.error_contains), `error ${JSON.stringify(reply.error)}`);
      assert.ok(!("result" in reply));
      if (c.suggestions) assert.deepEqual(reply.suggestions, c.suggestions);
    } else {
      assert.equal(reply.error, undefined, reply.error);
      assertMatches(reply.result, c.result);
    }
    if (c.added_at) {
      const n = state.words.length;
      assertMatches([state.xy[2 * n - 2], state.xy[2 * n - 1]], c.added_at, "added_at");
    }
  });
}
