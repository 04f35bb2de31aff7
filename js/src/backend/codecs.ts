/**
 * Binary arrays on the wire: `{view, dtype, shape}` as sent by
 * `w2v_widgets/widgets/arrays.py` (the jupyter-scatter convention).
 */

export type DType = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "float32" | "float64";

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

export interface WireArray {
  view: DataView | ArrayBuffer | ArrayBufferView;
  dtype: DType;
  shape: number[];
}

const CTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

function bytesOf(view: WireArray["view"]): Uint8Array {
  if (view instanceof ArrayBuffer) return new Uint8Array(view);
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Decode a wire array into a typed array (copying only when the bytes are misaligned). */
export function decodeArray(wire: WireArray | null | undefined): TypedArray | null {
  if (wire == null) return null;
  const Ctor = CTORS[wire.dtype];
  if (!Ctor) throw new Error(`unsupported dtype ${JSON.stringify(wire.dtype)}`);
  const bytes = bytesOf(wire.view);
  const size = Ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) throw new Error("array buffer length is not a multiple of its dtype size");
  if (bytes.byteOffset % size === 0) return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
  return new Ctor(bytes.slice().buffer);
}

export function decodeFloat32(wire: WireArray | null | undefined): Float32Array {
  const arr = decodeArray(wire);
  if (arr == null) return new Float32Array(0);
  return arr instanceof Float32Array ? arr : Float32Array.from(arr as ArrayLike<number>);
}

export function decodeInt32(wire: WireArray | null | undefined): Int32Array {
  const arr = decodeArray(wire);
  if (arr == null) return new Int32Array(0);
  return arr instanceof Int32Array ? arr : Int32Array.from(arr as ArrayLike<number>);
}

/** Encode a typed array for the wire (used by the standalone page's model shim). */
export function encodeArray(arr: TypedArray, dtype: DType, shape: number[]): WireArray {
  return { view: new DataView(arr.buffer, arr.byteOffset, arr.byteLength), dtype, shape };
}

/** Base64 → bytes without atob's Latin-1 pitfalls (works in node and browsers). */
export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
