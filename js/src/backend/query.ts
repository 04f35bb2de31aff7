/**
 * The search box's language: a word, or an analogy such as `king - man + woman`.
 * Operators are `+` and `-` standing alone, or glued to the front of a word after the first
 * (`king -man +woman`); a hyphen inside a word (`well-known`) is part of the word.
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

export function parseQuery(text: string): ParsedQuery {
  const tokens = text.trim().split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length === 0) throw new ParseError("type a word, or an analogy like: king - man + woman");
  const positive: string[] = [];
  const negative: string[] = [];
  let sign: "+" | "-" | null = null;
  tokens.forEach((token, i) => {
    if (token === "+" || token === "-") {
      if (sign !== null || i === 0 && token === "+") throw new ParseError(`unexpected "${token}"`);
      sign = token;
      return;
    }
    let word = token;
    if (i > 0 && sign === null && (token[0] === "+" || token[0] === "-") && token.length > 1) {
      sign = token[0] as "+" | "-";
      word = token.slice(1);
    } else if (i > 0 && sign === null) {
      throw new ParseError(`put + or - between "${tokens[i - 1]}" and "${token}"`);
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

/** Replace the token being typed with `word`, keeping any operator glued to it. */
export function replaceLastToken(text: string, word: string): string {
  const token = lastToken(text);
  return text.slice(0, text.length - token.length) + word;
}
