import assert from "node:assert/strict";
import { test } from "node:test";
import { singleFlight } from "../src/backend/single-flight";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test("the first call runs at once; calls during it keep only the latest, run when it ends", async () => {
  const calls: string[] = [];
  const pending: ReturnType<typeof deferred>[] = [];
  const f = singleFlight(async (w: string) => {
    calls.push(w);
    const d = deferred();
    pending.push(d);
    await d.promise;
  });
  f("a");
  assert.deepEqual(calls, ["a"]);
  assert.equal(f.busy, true);
  f("b");
  f("c");
  assert.deepEqual(calls, ["a"]);
  pending[0].resolve();
  await tick();
  assert.deepEqual(calls, ["a", "c"]);
  pending[1].resolve();
  await tick();
  assert.equal(f.busy, false);
  f("d");
  assert.deepEqual(calls, ["a", "c", "d"]);
});

test("cancel drops the waiting call; a failing call does not block the next", async () => {
  const calls: string[] = [];
  let fail = true;
  const gate = deferred();
  const f = singleFlight(async (w: string) => {
    calls.push(w);
    await gate.promise;
    if (fail) throw new Error("boom");
  });
  f("a");
  f("b");
  f.cancel();
  fail = true;
  gate.resolve();
  await tick();
  assert.deepEqual(calls, ["a"]);
  assert.equal(f.busy, false);
  fail = false;
  f("c");
  await tick();
  assert.deepEqual(calls, ["a", "c"]);
});
