import assert from "node:assert/strict";
import { test } from "node:test";
import { lastToken, ParseError, parseQuery, replaceLastToken } from "../src/backend/query";

test("a single word, including hyphens and markup, is one positive word", () => {
  assert.deepEqual(parseQuery("  paris "), { positive: ["paris"], negative: [] });
  assert.deepEqual(parseQuery("well-known"), { positive: ["well-known"], negative: [] });
  assert.deepEqual(parseQuery("</script>"), { positive: ["</script>"], negative: [] });
  assert.deepEqual(parseQuery("-lrb-"), { positive: ["-lrb-"], negative: [] });
});

test("analogies with spaced or glued operators", () => {
  assert.deepEqual(parseQuery("king - man + woman"), { positive: ["king", "woman"], negative: ["man"] });
  assert.deepEqual(parseQuery("king -man +woman"), { positive: ["king", "woman"], negative: ["man"] });
  assert.deepEqual(parseQuery("- man + king"), { positive: ["king"], negative: ["man"] });
});

test("malformed queries say what to change", () => {
  assert.throws(() => parseQuery(""), ParseError);
  assert.throws(() => parseQuery("king -"), /ends with an operator/);
  assert.throws(() => parseQuery("king man"), /put \+ or -/);
  assert.throws(() => parseQuery("king + - man"), /unexpected/);
  assert.throws(() => parseQuery("- man"), /at least one word/);
});

test("lastToken and replaceLastToken work on the word being typed", () => {
  assert.equal(lastToken("king - ma"), "ma");
  assert.equal(lastToken("king -ma"), "ma");
  assert.equal(lastToken("king "), "");
  assert.equal(replaceLastToken("king - ma", "man"), "king - man");
  assert.equal(replaceLastToken("king -ma", "man"), "king -man");
  assert.equal(replaceLastToken("pa", "paris"), "paris");
});
