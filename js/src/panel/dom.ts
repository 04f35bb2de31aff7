/**
 * DOM helpers. Words are user data: text only ever goes in through `textContent` (here) or
 * canvas `fillText`; nothing in the front-end assigns HTML strings.
 */

type Attrs = Record<string, string | number | boolean | undefined>;

/** Create an element with attributes (set with setAttribute, never parsed as HTML) and text. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === "className") el.className = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child == null) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

/** Replace an element's children with plain text. */
export function setText(el: Element, text: string): void {
  el.textContent = text;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for an HTML context (kept for completeness; the UI itself uses textContent). */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const graphemeSegmenter =
  typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/** `text` split into user-perceived characters (grapheme clusters): a ZWJ emoji, a flag or a
 *  letter with its combining marks is one (code points where Intl.Segmenter is missing). */
export function graphemes(text: string): string[] {
  return graphemeSegmenter ? Array.from(graphemeSegmenter.segment(text), (s) => s.segment) : Array.from(text);
}

/** Shorten a word for display in narrow places, never inside a grapheme cluster; the full word
 *  goes in a title attribute. */
export function ellipsize(text: string, max = 32): string {
  const chars = graphemes(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Show control characters visibly so a word made of newlines or tabs stays on one line. */
export function displayWord(word: string): string {
  return word.replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
