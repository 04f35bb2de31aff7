import assert from "node:assert/strict";
import { test } from "node:test";
import { base64ToBytes, decodeArray, decodeFloat32, decodeInt32, encodeArray } from "../src/backend/codecs";

test("decodes a DataView with an offset without copying when aligned", () => {
  const buf = new ArrayBuffer(24);
  new Float32Array(buf, 8, 4).set([1, 2, 3, 4]);
  const arr = decodeArray({ view: new DataView(buf, 8, 16), dtype: "float32", shape: [2, 2] });
  assert.ok(arr instanceof Float32Array);
  assert.deepEqual(Array.from(arr!), [1, 2, 3, 4]);
  assert.equal(arr!.buffer, buf);
});

test("copies misaligned bytes instead of failing", () => {
  const bytes = new Uint8Array(9);
  new DataView(bytes.buffer).setInt32(1, 7, true);
  new DataView(bytes.buffer).setInt32(5, -3, true);
  assert.deepEqual(Array.from(decodeInt32({ view: new DataView(bytes.buffer, 1, 8), dtype: "int32", shape: [2] })), [7, -3]);
});

test("null gives an empty array; a bad dtype or length throws", () => {
  assert.equal(decodeFloat32(null).length, 0);
  assert.throws(() => decodeArray({ view: new DataView(new ArrayBuffer(4)), dtype: "complex" as never, shape: [1] }));
  assert.throws(() => decodeArray({ view: new DataView(new ArrayBuffer(5)), dtype: "float32", shape: [1] }));
});

test("encode → decode round trip and base64 bytes", () => {
  const a = Int32Array.from([1, -2, 3]);
  assert.deepEqual(Array.from(decodeInt32(encodeArray(a, "int32", [3]))), [1, -2, 3]);
  assert.deepEqual(Array.from(base64ToBytes("AP8Q")), [0, 255, 16]);
});
