/**
 * The search box's language: a word, or an analogy such as `king - man + woman`.
 * Operators are `+` and `-` standing alone, or glued to the front of a word after the first
 * (`king -man +woman`); a hyphen inside a word (`well-known`) is part of the word. A word in
 * double quotes is taken as written, spaces, signs and all (`"new york" - "-2+3"`); inside
 * quotes, `\"` is a quote and `\\` a backslash.
 */

export interface ParsedQuery {
  positive: string[];
  negative: string[];
}

export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParseError";
  }
}

interface Token {
  text: string;
  /** Written in quotes: always a word, never an operator. */
  quoted: boolean;
  /** An operator glued to the front of a quoted word (`-"new york"`). */
  sign?: "+" | "-";
}

/** Split on whitespace, keeping "quoted words" (with their glued sign) whole. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const chars = Array.from(text);
  let i = 0;
  while (i < chars.length) {
    if (/\s/.test(chars[i])) {
      i++;
      continue;
    }
    const glued = (chars[i] === "+" || chars[i] === "-") && chars[i + 1] === '"' ? chars[i] : undefined;
    if (chars[i] === '"' || glued) {
      i += glued ? 2 : 1;
      let word = "";
      for (; i < chars.length && chars[i] !== '"'; i++) word += chars[i] === "\\" && i + 1 < chars.length ? chars[++i] : chars[i];
      if (i >= chars.length) throw new ParseError("a quoted word has no closing quote");
      i++;
      tokens.push({ text: word, quoted: true, sign: glued as "+" | "-" | undefined });
      continue;
    }
    let word = "";
    for (; i < chars.length && !/\s/.test(chars[i]); i++) word += chars[i];
    tokens.push({ text: word, quoted: false });
  }
  return tokens;
}

/** A word as the search box takes it back: quoted when it has spaces, quotes, a backslash or a leading sign. */
export function quoteWord(word: string): string {
  return /[\s"\\]|^[+-]|^$/u.test(word) ? `"${word.replace(/[\\"]/g, (ch) => `\\${ch}`)}"` : word;
}

export function parseQuery(text: string): ParsedQuery {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ParseError("type a word, or an analogy like: two - one + three");
  const positive: string[] = [];
  const negative: string[] = [];
  let sign: "+" | "-" | null = null;
  tokens.forEach((token, i) => {
    if (!token.quoted && (token.text === "+" || token.text === "-")) {
      if (sign !== null || i === 0 && token.text === "+") throw new ParseError(`unexpected "${token.text}"`);
      sign = token.text;
      return;
    }
    let word = token.text;
    const glued = token.quoted ? token.sign : token.text.length > 1 && (token.text[0] === "+" || token.text[0] === "-") ? (token.text[0] as "+" | "-") : undefined;
    if (i > 0 && sign === null && glued) {
      sign = glued;
      if (!token.quoted) word = token.text.slice(1);
    } else if (sign !== null && token.quoted && token.sign) {
      throw new ParseError(`unexpected "${token.sign}"`);
    } else if (i > 0 && sign === null) {
      throw new ParseError(`put + or - between "${tokens[i - 1].text}" and "${token.text}"`);
    } else if (i === 0 && token.quoted && token.sign) {
      sign = token.sign;
    }
    (sign === "-" ? negative : positive).push(word);
    sign = null;
  });
  if (sign !== null) throw new ParseError("the query ends with an operator; add a word after it");
  if (positive.length === 0) throw new ParseError("give at least one word with a + sign");
  return { positive, negative };
}

/** The token being typed at the end of the query (what autocomplete completes). */
export function lastToken(text: string): string {
  const m = /(?:^|\s)[+-]?([^\s]*)$/.exec(text);
  return m ? m[1] : "";
}

/** Replace the token being typed with `word` (quoted when it holds spaces or quotes), keeping
 * any operator glued to it. */
export function replaceLastToken(text: string, word: string): string {
  const token = lastToken(text);
  return text.slice(0, text.length - token.length) + (/[\s"\\]/u.test(word) ? quoteWord(word) : word);
}
