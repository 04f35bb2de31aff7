import assert from "node:assert/strict";
import { test } from "node:test";
import { QueryClient, QueryError, STALE, type Transport } from "../src/backend/protocol";

function fakeTransport() {
  const sent: Record<string, any>[] = [];
  let handler: (msg: unknown) => void = () => {};
  const t: Transport = {
    send: (msg) => void sent.push(msg),
    subscribe(h) {
      handler = h;
      return () => (handler = () => {});
    },
  };
  return { t, sent, deliver: (msg: unknown) => handler(msg) };
}

test("a request carries a unique id and type; the reply with that id resolves it", async () => {
  const { t, sent, deliver } = fakeTransport();
  const c = new QueryClient(t);
  const p1 = c.request<{ n: number }>("neighbours", { word: "paris" });
  const p2 = c.request("complete", { prefix: "pa" });
  assert.equal(sent.length, 2);
  assert.notEqual(sent[0].id, sent[1].id);
  assert.equal(sent[0].type, "neighbours");
  assert.equal(sent[0].word, "paris");
  deliver({ id: sent[1].id, result: ["pa"] });
  deliver({ id: sent[0].id, result: { n: 1 } });
  assert.deepEqual(await p1, { n: 1 });
  assert.deepEqual(await p2, ["pa"]);
  assert.equal(c.pendingCount, 0);
});

test("an {id, error} reply rejects with QueryError carrying suggestions", async () => {
  const { t, sent, deliver } = fakeTransport();
  const c = new QueryClient(t);
  const p = c.request("search", { positive: ["pariss"] });
  deliver({ id: sent[0].id, error: "word 'pariss' is not in the vocabulary", suggestions: ["paris"] });
  await assert.rejects(p, (err: unknown) => err instanceof QueryError && err.suggestions[0] === "paris");
});

test("on a channel, an older reply arriving late is STALE; the latest one is used", async () => {
  const { t, sent, deliver } = fakeTransport();
  const c = new QueryClient(t);
  const first = c.latest("hover", "neighbours", { word: "a" });
  const second = c.latest("hover", "neighbours", { word: "b" });
  deliver({ id: sent[1].id, result: "B" });
  deliver({ id: sent[0].id, result: "A" });
  assert.equal(await first, STALE);
  assert.equal(await second, "B");
});

test("a channel request names its channel, so the kernel can answer a superseded one at once", async () => {
  const { t, sent, deliver } = fakeTransport();
  const c = new QueryClient(t);
  const first = c.latest("neighbours", "neighbours", { word: "a" });
  const second = c.latest("neighbours", "neighbours", { word: "b" });
  const add = c.request("add", { word: "c" });
  assert.equal(sent[0].channel, "neighbours");
  assert.equal(sent[1].channel, "neighbours");
  assert.equal("channel" in sent[2], false);
  deliver({ id: sent[0].id, error: "superseded by a newer request on the same channel", superseded: true });
  deliver({ id: sent[1].id, result: "B" });
  assert.equal(await first, STALE); // not a rejection: the page shows nothing for it
  assert.equal(await second, "B");
  deliver({ id: sent[2].id, result: { point: 3 } });
  assert.deepEqual(await add, { point: 3 });
});

test("cancel makes the pending channel request stale; other channels are independent", async () => {
  const { t, sent, deliver } = fakeTransport();
  const c = new QueryClient(t);
  const a = c.latest("hover", "neighbours", {});
  const b = c.latest("search", "search", {});
  c.cancel("hover");
  deliver({ id: sent[0].id, result: 1 });
  deliver({ id: sent[1].id, result: 2 });
  assert.equal(await a, STALE);
  assert.equal(await b, 2);
});

test("unknown ids and non-reply messages are ignored", () => {
  const { t, deliver } = fakeTransport();
  const c = new QueryClient(t);
  assert.equal(c.handle({ id: "nope", result: 1 }), false);
  assert.equal(c.handle({ type: "something" }), false);
  assert.equal(c.handle(null), false);
  deliver("text");
});

test("a request with no answer times out and is forgotten", async () => {
  const { t, sent, deliver } = fakeTransport();
  const c = new QueryClient(t, { timeoutMs: 10 });
  await assert.rejects(c.request("ping"), /no answer/);
  assert.equal(c.pendingCount, 0);
  assert.equal(c.handle({ id: sent[0].id, result: 1 }), false);
  deliver({ id: sent[0].id, result: 1 });
});

test("dispose resolves pending requests as STALE and unsubscribes", async () => {
  const { t, sent, deliver } = fakeTransport();
  const c = new QueryClient(t);
  const p = c.request("ping");
  c.dispose();
  assert.equal(await p, STALE);
  deliver({ id: sent[0].id, result: 1 });
});

test("onTiming reports each answered query", async () => {
  const { t, sent, deliver } = fakeTransport();
  const times: string[] = [];
  const c = new QueryClient(t, { onTiming: (type) => times.push(type) });
  const p = c.request("ping");
  deliver({ id: sent[0].id, result: { pong: true } });
  await p;
  assert.deepEqual(times, ["ping"]);
});
