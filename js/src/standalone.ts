/**
 * The standalone page (`EmbeddingExplorer.save_html`): a tiny in-memory model stands in for the
 * kernel's, and `LocalBackend` answers queries from the embedded vectors. The view code is the
 * same as in JupyterLab.
 */

import { base64ToBytes, type DType, type WireArray } from "./backend/codecs";
import { LocalBackend } from "./backend/local-backend";
import { makeTable } from "./backend/vecmath";
import { render } from "./widget";

/** An array as embedded in the page: base64 bytes plus dtype and shape. */
export interface EmbeddedArray {
  b64: string;
  dtype: DType;
  shape: number[];
}

export interface StandalonePayload {
  version: 1;
  state: Record<string, unknown>;
  vocab: { words: string[]; dim: number; vectors: EmbeddedArray };
}

type Handler = (...args: any[]) => void;

function isEmbeddedArray(v: unknown): v is EmbeddedArray {
  return typeof v === "object" && v !== null && typeof (v as EmbeddedArray).b64 === "string" && "dtype" in v;
}

export function toWire(a: EmbeddedArray): WireArray {
  const bytes = base64ToBytes(a.b64);
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), dtype: a.dtype, shape: a.shape };
}

/** Just enough of an anywidget model for the view: get/set/on/off/send/save_changes. */
export class ShimModel {
  private readonly handlers = new Map<string, Set<Handler>>();
  onSend: (msg: Record<string, unknown>) => void = () => {};

  constructor(private readonly state: Record<string, unknown>) {}

  get(key: string): any {
    return this.state[key];
  }

  set(key: string, value: unknown): void {
    this.state[key] = value;
    this.emit(`change:${key}`);
  }

  on(event: string, cb: Handler): void {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(cb);
  }

  off(event?: string | null, cb?: Handler | null): void {
    if (!event) return this.handlers.clear();
    if (!cb) this.handlers.delete(event);
    else this.handlers.get(event)?.delete(cb);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const cb of [...(this.handlers.get(event) ?? [])]) cb(...args);
  }

  save_changes(): void {}

  send(content: Record<string, unknown>): void {
    this.onSend(content);
  }
}

export function decodeState(state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) out[k] = isEmbeddedArray(v) ? toWire(v) : v;
  return { ...out, _standalone: true };
}

export function vectorTable(vocab: StandalonePayload["vocab"]) {
  const bytes = base64ToBytes(vocab.vectors.b64);
  const n = vocab.words.length;
  const data = vocab.vectors.dtype === "int8"
    ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return makeTable(data, n, vocab.dim);
}

/** Build the shim model and its local backend, then render the explorer into `el`. */
export function mountStandalone(el: HTMLElement, payload: StandalonePayload): () => void {
  const model = new ShimModel(decodeState(payload.state));
  const projected = (payload.state._words as string[] | undefined)?.length ?? 0; // points the saved layout placed
  const plot = {
    words: () => model.get("_words") as string[],
    xy: () => new Float32Array(flatXY(model.get("_xy"))),
    codes: () => new Int32Array(flatCodes(model.get("_codes"))),
    addPoint(word: string, x: number, y: number, code: number): number {
      const words = [...plot.words(), word];
      const xy = Float32Array.from([...plot.xy(), x, y]);
      const codes = Int32Array.from([...plot.codes(), code]);
      model.set("_xy", { view: new DataView(xy.buffer), dtype: "float32", shape: [words.length, 2] });
      model.set("_codes", { view: new DataView(codes.buffer), dtype: "int32", shape: [words.length] });
      model.set("_words", words);
      return words.length - 1;
    },
    /** A PCA map is linear in the vectors (analogy arrows exact) up to the points added here. */
    linearPoints: () => (model.get("_projection") === "PCA" ? projected : 0),
  };
  const backend = new LocalBackend(payload.vocab.words, vectorTable(payload.vocab), plot, Number(payload.state.max_k));
  model.onSend = (msg) => {
    const reply = backend.handle(msg);
    setTimeout(() => model.emit("msg:custom", reply, []), 0);
  };
  return render({ model: model as never, el });
}

function flatXY(w: WireArray | null): ArrayLike<number> {
  return w ? new Float32Array(copyBytes(w)) : [];
}

function flatCodes(w: WireArray | null): ArrayLike<number> {
  return w ? new Int32Array(copyBytes(w)) : [];
}

function copyBytes(w: WireArray): ArrayBuffer {
  const v = w.view as DataView;
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
}
