import assert from "node:assert/strict";
import { test } from "node:test";
import { toScreenX, toScreenY } from "../src/plot/camera";
import { pointRadius } from "../src/plot/renderer";
import { clipTransform, DIMMED, isSoftwareGPU, NORMAL, pointColors, pointStates, SELECTED } from "../src/plot/webgl";

test("clipTransform maps the camera's screen pixels to clip space (y up)", () => {
  const cam = { cx: 2, cy: -1, scale: 40, width: 400, height: 200 };
  const { scale, offset } = clipTransform(cam);
  for (const [x, y] of [[2, -1], [5, 1], [-3, 0.5]]) {
    const clipX = x * scale[0] + offset[0], clipY = y * scale[1] + offset[1];
    assert.ok(Math.abs(clipX - (toScreenX(cam, x) / cam.width) * 2 + 1) < 1e-12);
    assert.ok(Math.abs(clipY - (1 - (toScreenY(cam, y) / cam.height) * 2)) < 1e-12);
  }
});

test("pointColors looks codes up in the palette, grey for a missing code", () => {
  const rgba = pointColors(Int32Array.from([1, 0, 7]), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(rgba), [4, 5, 6, 255, 1, 2, 3, 255, 128, 128, 128, 255]);
});

test("pointStates dims the unselected only when something is selected", () => {
  assert.deepEqual(Array.from(pointStates(3, new Set())), [NORMAL, NORMAL, NORMAL]);
  assert.deepEqual(Array.from(pointStates(3, new Set([2, 9]))), [DIMMED, DIMMED, SELECTED]);
});

test("pointRadius: 2.5 px on sparse maps, smaller (down to 1) where a million points crowd", () => {
  assert.equal(pointRadius(2000, 900, 520, 1), 2.5);
  assert.equal(pointRadius(1_000_000, 900, 520, 1), 1);
  const zoomed = pointRadius(1_000_000, 900, 520, 3);
  assert.ok(zoomed > 1 && zoomed < 2.5);
  assert.equal(pointRadius(0, 900, 520, 1), 2.5);
});

test("GPU names of WebGL on the CPU are recognised, real GPUs and hidden names are not", () => {
  const software = [
    "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
    "Google SwiftShader",
    "llvmpipe (LLVM 15.0.6, 256 bits)",
    "ANGLE (Mesa, llvmpipe (LLVM 17.0.6 256 bits), OpenGL 4.5)",
    "softpipe",
    "ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)",
  ];
  const gpus = [
    "ANGLE (Apple, ANGLE Metal Renderer: Apple M1, Unspecified Version)",
    "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)",
    "ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)",
    "ANGLE (AMD, AMD Radeon(TM) Graphics (0x00001638) Direct3D11 vs_5_0 ps_5_0, D3D11)",
    "Adreno (TM) 640",
    "WebKit WebGL", // the name hidden: not known to be software
    "",
  ];
  for (const name of software) assert.ok(isSoftwareGPU(name), name);
  for (const name of gpus) assert.ok(!isSoftwareGPU(name), name);
});
