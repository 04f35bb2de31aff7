/**
 * The plotted words. The kernel sends them packed (`w2v_widgets/widgets/arrays.py`
 * `words_to_binary`): their UTF-8 bytes end to end and where each ends, two binary buffers, so 3M
 * words cross as 37 MB of bytes the page never parses, instead of a JSON list of 3M strings. A
 * word is decoded when it is read (a label, a hover), and a word's point is found by a hash table
 * over the bytes, built on first use in a fraction of the time a `Map` of decoded strings takes.
 * The standalone page and older states hold a plain list of strings: `WordList.from` reads both.
 */

import { decodeArray, decodeInt32, type WireArray } from "../backend/codecs";

/** The `_words` trait as it arrives: packed words, or a list of strings. */
export type WireWords = string[] | { utf8: WireArray; ends: WireArray } | null | undefined;

const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** Lists read from the same trait value share one `WordList` (and its lookup table). */
const cache = new WeakMap<object, WordList>();

export abstract class WordList {
  abstract readonly length: number;
  /** Word `i`, or undefined outside 0..length-1 (as an array's `at`). */
  abstract at(i: number): string | undefined;
  /** The first point holding `word`, or -1. */
  abstract pointOf(word: string): number;

  /** Whether `word` is plotted. */
  has(word: string): boolean {
    return this.pointOf(word) >= 0;
  }

  /** The words as an array of strings (decodes every word: for small lists and tests). */
  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i)!;
    return out;
  }

  /** For each point of `this`, the point holding its word in `old` (-1: none). */
  pointsIn(old: WordList): Int32Array {
    const out = new Int32Array(this.length);
    if (old === this) {
      for (let i = 0; i < out.length; i++) out[i] = i;
      return out;
    }
    for (let i = 0; i < out.length; i++) out[i] = old.pointOf(this.at(i)!);
    return out;
  }

  /** The words of a `_words` trait value (a packed value or a list; nothing: no words). */
  static from(value: WireWords): WordList {
    if (value == null) return new StringWords([]);
    const known = cache.get(value);
    if (known) return known;
    const list = Array.isArray(value) ? new StringWords(value) : PackedWords.fromWire(value);
    cache.set(value, list);
    return list;
  }
}

/** A list of strings, looked up through a `Map` built on first use. */
class StringWords extends WordList {
  private index: Map<string, number> | null = null;

  constructor(private readonly words: string[]) {
    super();
  }

  get length(): number {
    return this.words.length;
  }

  at(i: number): string | undefined {
    return this.words[i];
  }

  pointOf(word: string): number {
    if (!this.index) {
      this.index = new Map();
      this.words.forEach((w, i) => {
        if (!this.index!.has(w)) this.index!.set(w, i);
      });
    }
    return this.index.get(word) ?? -1;
  }

  toArray(): string[] {
    return this.words.slice();
  }
}

/** FNV-1a of `bytes[start:end]`. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let p = start; p < end; p++) h = Math.imul(h ^ bytes[p], 0x01000193);
  return h >>> 0;
}

/** UTF-8 bytes end to end; `ends[i]` is where word `i` ends. */
export class PackedWords extends WordList {
  /** Open addressing: slot -> point + 1 (0: empty). */
  private table: Int32Array | null = null;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly ends: Int32Array,
  ) {
    super();
    if (ends.length > 0 && ends[ends.length - 1] > bytes.length) throw new Error("packed words end past their bytes");
  }

  static fromWire(value: { utf8: WireArray; ends: WireArray }): PackedWords {
    const raw = decodeArray(value.utf8);
    const bytes = raw ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(0);
    return new PackedWords(bytes, decodeInt32(value.ends));
  }

  /** Pack `words` (as the kernel does; for tests and the standalone page). */
  static pack(words: string[]): PackedWords {
    const parts = words.map((w) => encoder.encode(w));
    const ends = new Int32Array(words.length);
    let total = 0;
    parts.forEach((p, i) => (ends[i] = total += p.length));
    const bytes = new Uint8Array(total);
    parts.forEach((p, i) => bytes.set(p, i ? ends[i - 1] : 0));
    return new PackedWords(bytes, ends);
  }

  get length(): number {
    return this.ends.length;
  }

  private start(i: number): number {
    return i > 0 ? this.ends[i - 1] : 0;
  }

  at(i: number): string | undefined {
    if (!(i >= 0 && i < this.ends.length)) return undefined;
    const start = this.start(i), end = this.ends[i];
    let ascii = true;
    for (let p = start; p < end && ascii; p++) ascii = this.bytes[p] < 0x80;
    if (ascii && end - start < 256) return String.fromCharCode.apply(null, this.bytes.subarray(start, end) as unknown as number[]);
    return decoder.decode(this.bytes.subarray(start, end));
  }

  pointOf(word: string): number {
    const key = encoder.encode(word);
    return this.find(key, 0, key.length);
  }

  /** The first point whose bytes equal `key[start:end]`, or -1. */
  private find(key: Uint8Array, start: number, end: number): number {
    const table = (this.table ??= this.buildTable());
    const mask = table.length - 1;
    const len = end - start;
    for (let slot = hashBytes(key, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot];
      if (entry === 0) return -1;
      const i = entry - 1, s = this.start(i);
      if (this.ends[i] - s !== len) continue;
      let same = true;
      for (let p = 0; p < len && same; p++) same = this.bytes[s + p] === key[start + p];
      if (same) return i;
    }
  }

  private buildTable(): Int32Array {
    let size = 16;
    while (size < 2 * this.ends.length) size *= 2;
    const table = new Int32Array(size);
    for (let i = 0; i < this.ends.length; i++) this.insert(table, i);
    return table;
  }

  /** Put point `i` into `table`, unless an earlier point holds the same word. */
  private insert(table: Int32Array, i: number): void {
    const mask = table.length - 1;
    const s = this.start(i), e = this.ends[i], len = e - s;
    for (let slot = hashBytes(this.bytes, s, e) & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot];
      if (entry === 0) {
        table[slot] = i + 1;
        return;
      }
      const j = entry - 1, t = this.start(j);
      if (this.ends[j] - t !== len) continue;
      let same = true;
      for (let p = 0; p < len && same; p++) same = this.bytes[t + p] === this.bytes[s + p];
      if (same) return;
    }
  }

  pointsIn(old: WordList): Int32Array {
    if (!(old instanceof PackedWords) || old === this) return super.pointsIn(old);
    const out = new Int32Array(this.length);
    // words appended to the same list (ex.add): the old points keep their numbers
    let same = 0;
    while (same < Math.min(this.length, old.length) && this.ends[same] === old.ends[same]) same++;
    const prefix = same > 0 ? this.ends[same - 1] : 0;
    let bytesSame = true;
    for (let p = 0; p < prefix && bytesSame; p++) bytesSame = this.bytes[p] === old.bytes[p];
    const from = bytesSame ? same : 0;
    for (let i = 0; i < from; i++) out[i] = i;
    for (let i = from; i < out.length; i++) out[i] = old.find(this.bytes, this.start(i), this.ends[i]);
    return out;
  }
}
