import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { displayWord, ellipsize, escapeHtml } from "../src/panel/dom";

const HOSTILE = `<img src=x onerror=alert(1)></script><b>"'&`;

test("escapeHtml escapes the five HTML metacharacters", () => {
  assert.equal(escapeHtml(HOSTILE), "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;b&gt;&quot;&#39;&amp;");
});

test("displayWord makes control characters visible; ellipsize counts grapheme clusters", () => {
  assert.equal(displayWord("a\nb\t"), "a\\x0ab\\x09");
  assert.equal(ellipsize("😀".repeat(5), 3), "😀😀…");
  assert.equal(ellipsize("short", 10), "short");
  // a ZWJ emoji (3 code points), a flag (2), a letter with a combining accent, Hangul in jamo:
  // each one character, never cut inside
  assert.equal(ellipsize("👩\u200d💻".repeat(4), 3), "👩\u200d💻👩\u200d💻…");
  assert.equal(ellipsize("🇯🇵🇰🇷🇨🇳", 3), "🇯🇵🇰🇷🇨🇳");
  assert.equal(ellipsize("🇯🇵🇰🇷🇨🇳🇫🇷", 3), "🇯🇵🇰🇷…");
  assert.equal(ellipsize("e\u0301".repeat(4), 3), "e\u0301e\u0301…");
  assert.equal(ellipsize("\u1112\u1161\u11ab".repeat(3), 2), "\u1112\u1161\u11ab…");
});

test("no front-end module assigns or parses HTML strings", () => {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const banned = /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|\beval\(|new Function\(/;
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
  assert.ok(files.length > 10);
  for (const f of files) {
    const code = readFileSync(join(src, f), "utf8");
    assert.ok(!banned.test(code), `${f} uses an HTML-parsing API`);
  }
});
