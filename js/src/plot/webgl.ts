/**
 * Drawing the points with WebGL: one `gl.POINTS` draw call of anti-aliased discs, positions
 * interpolated on the GPU during animated moves (the buffers hold the start and end layouts and
 * a uniform says how far along), colours and selection state uploaded once per change. A million
 * points pan and zoom without touching the buffers. `GLPoints.create` returns null where the
 * browser has no WebGL; the renderer then draws with the software rasteriser (scatter.ts).
 *
 * Hand-written rather than regl-scatterplot: that library brings its own camera, hit testing,
 * lasso and label-less drawing, which would duplicate the ones the explorer shares with its canvas
 * fallback (camera.ts, spatial.ts, interaction.ts, overlay.ts); what is left is one shader pair.
 */

import { type Camera } from "./camera";
import type { RGB } from "./scatter";

/** GPU names of WebGL drawn on the CPU: Chromium's SwiftShader, Mesa's llvmpipe and softpipe,
 * Windows' Basic Render Driver (WARP). */
const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|basic render|software/i;

/** Whether a WebGL GPU name (`UNMASKED_RENDERER_WEBGL`) is a renderer that runs on the CPU. */
export function isSoftwareGPU(name: string): boolean {
  return SOFTWARE_GPU.test(name);
}

const VERTEX = `
attribute vec2 a_from;
attribute vec2 a_to;
attribute vec4 a_color;
attribute float a_state;
uniform float u_t;
uniform vec2 u_scale;
uniform vec2 u_offset;
uniform float u_size;
uniform float u_selectedSize;
varying vec4 v_color;
varying float v_state;
varying float v_size;
void main() {
  vec2 p = mix(a_from, a_to, u_t);
  gl_Position = vec4(p * u_scale + u_offset, 0.0, 1.0);
  v_size = a_state > 1.5 ? u_selectedSize : u_size;
  gl_PointSize = v_size;
  v_color = a_color;
  v_state = a_state;
}`;

const FRAGMENT = `
precision mediump float;
uniform vec3 u_ring;
uniform float u_ringOn;
uniform float u_dim;
varying vec4 v_color;
varying float v_state;
varying float v_size;
void main() {
  float r = length(gl_PointCoord * 2.0 - 1.0) * v_size * 0.5;  // pixels from the centre
  float edge = v_size * 0.5 - 0.5;
  float a = clamp(edge - r + 0.5, 0.0, 1.0);
  if (a <= 0.0) discard;
  vec3 rgb = v_color.rgb;
  float alpha = v_state > 0.5 && v_state < 1.5 ? u_dim : 1.0;
  if (v_state > 1.5) rgb = mix(rgb, u_ring, u_ringOn * clamp(r - (edge - 1.5), 0.0, 1.0));
  gl_FragColor = vec4(rgb * alpha * a, alpha * a);
}`;

/** Per-point state: 0 drawn normally, 1 dimmed (a selection exists elsewhere), 2 selected. */
export const NORMAL = 0, DIMMED = 1, SELECTED = 2;

export interface GLStyle {
  /** Disc radius in CSS pixels. */
  radius: number;
  background: RGB;
  /** Outline of selected points (null: none, e.g. for large selections). */
  ring: RGB | null;
  /** Opacity of dimmed points. */
  dim: number;
}

function compile(gl: WebGLRenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type)!;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`WebGL shader: ${gl.getShaderInfoLog(shader)}`);
  return shader;
}

/** Per-point RGBA bytes from colour codes and a palette. */
export function pointColors(codes: Int32Array, colors: RGB[], out?: Uint8Array): Uint8Array {
  const rgba = out && out.length === codes.length * 4 ? out : new Uint8Array(codes.length * 4);
  const fallback: RGB = [128, 128, 128];
  for (let i = 0; i < codes.length; i++) {
    const c = colors[codes[i]] ?? fallback;
    rgba[4 * i] = c[0];
    rgba[4 * i + 1] = c[1];
    rgba[4 * i + 2] = c[2];
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/** Per-point states for a selection (all NORMAL when nothing is selected). */
export function pointStates(n: number, selected: ReadonlySet<number>, out?: Uint8Array): Uint8Array {
  const states = out && out.length === n ? out : new Uint8Array(n);
  states.fill(selected.size ? DIMMED : NORMAL);
  for (const i of selected) if (i >= 0 && i < n) states[i] = SELECTED;
  return states;
}

/** The clip-space transform of a camera: clip = world * scale + offset (y up in both). */
export function clipTransform(cam: Camera): { scale: [number, number]; offset: [number, number] } {
  const sx = (2 * cam.scale) / cam.width, sy = (2 * cam.scale) / cam.height;
  return { scale: [sx, sy], offset: [-cam.cx * sx, -cam.cy * sy] };
}

export class GLPoints {
  private readonly program: WebGLProgram;
  private readonly buffers: Record<"from" | "to" | "color" | "state", WebGLBuffer>;
  private readonly loc: Record<string, WebGLUniformLocation | null>;
  private readonly attr: Record<"from" | "to" | "color" | "state", number>;
  private n = 0;
  /** True when the start and end layouts are the same array: one buffer serves both. */
  private still = true;
  private colorBytes: Uint8Array = new Uint8Array(0);
  private stateBytes: Uint8Array = new Uint8Array(0);

  /** A WebGL point layer on `canvas`, or null when the browser cannot give one. */
  static create(canvas: HTMLCanvasElement): GLPoints | null {
    let gl: WebGLRenderingContext | null = null;
    try {
      gl = canvas.getContext("webgl", { antialias: false, alpha: false, premultipliedAlpha: true, preserveDrawingBuffer: true });
      return gl ? new GLPoints(gl) : null;
    } catch {
      return null;
    }
  }

  /** True when this WebGL runs on the CPU (no GPU: SwiftShader, llvmpipe); false when the
   * browser hides the GPU's name. */
  readonly software: boolean;

  private constructor(private readonly gl: WebGLRenderingContext) {
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    this.software = isSoftwareGPU(String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? ""));
    const program = gl.createProgram()!;
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`WebGL program: ${gl.getProgramInfoLog(program)}`);
    this.program = program;
    this.buffers = { from: gl.createBuffer()!, to: gl.createBuffer()!, color: gl.createBuffer()!, state: gl.createBuffer()! };
    this.attr = {
      from: gl.getAttribLocation(program, "a_from"),
      to: gl.getAttribLocation(program, "a_to"),
      color: gl.getAttribLocation(program, "a_color"),
      state: gl.getAttribLocation(program, "a_state"),
    };
    this.loc = Object.fromEntries(
      ["u_t", "u_scale", "u_offset", "u_size", "u_selectedSize", "u_ring", "u_ringOn", "u_dim"].map((u) => [u, gl.getUniformLocation(program, u)]),
    );
  }

  /** Give the context back now (its buffers go with it), not when the page is collected. */
  release(): void {
    this.gl.getExtension("WEBGL_lose_context")?.loseContext();
  }

  get lost(): boolean {
    return this.gl.isContextLost();
  }

  /** Wait until the GPU has drawn (reads one pixel back). */
  finish(): void {
    this.gl.readPixels(0, 0, 1, 1, this.gl.RGBA, this.gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  /** Upload an animated move's start and end layouts (the same array when not moving: then it
   * is uploaded once, which at 3M points saves copying 24 MB to the GPU process). */
  setPositions(from: Float32Array, to: Float32Array): void {
    const gl = this.gl;
    this.n = Math.min(from.length, to.length) >> 1;
    this.still = from === to;
    if (!this.still) {
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.from);
      gl.bufferData(gl.ARRAY_BUFFER, from, gl.STATIC_DRAW);
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.to);
    gl.bufferData(gl.ARRAY_BUFFER, to, gl.STATIC_DRAW);
  }

  setColors(codes: Int32Array, colors: RGB[]): void {
    this.colorBytes = pointColors(codes, colors, this.colorBytes);
    this.upload(this.buffers.color, this.colorBytes);
  }

  setSelection(n: number, selected: ReadonlySet<number>): void {
    this.stateBytes = pointStates(n, selected, this.stateBytes);
    this.upload(this.buffers.state, this.stateBytes);
  }

  private upload(buffer: WebGLBuffer, bytes: Uint8Array<ArrayBufferLike>): void {
    this.gl.bindBuffer(this.gl.ARRAY_BUFFER, buffer);
    this.gl.bufferData(this.gl.ARRAY_BUFFER, bytes, this.gl.STATIC_DRAW);
  }

  /** Clear to the background and draw every point at move fraction `t` (0 start, 1 end). */
  draw(cam: Camera, dpr: number, t: number, style: GLStyle): void {
    const gl = this.gl;
    const canvas = gl.canvas as HTMLCanvasElement;
    gl.viewport(0, 0, canvas.width, canvas.height);
    const [r, g, b] = style.background;
    gl.clearColor(r / 255, g / 255, b / 255, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (this.n === 0 || this.colorBytes.length < 4 * this.n || this.stateBytes.length < this.n) return;
    gl.useProgram(this.program);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    const bind = (name: keyof GLPoints["attr"], size: number, type: number, normalized: boolean) => {
      const at = this.attr[name];
      if (at < 0) return;
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers[name === "from" && this.still ? "to" : name]);
      gl.enableVertexAttribArray(at);
      gl.vertexAttribPointer(at, size, type, normalized, 0, 0);
    };
    bind("from", 2, gl.FLOAT, false);
    bind("to", 2, gl.FLOAT, false);
    bind("color", 4, gl.UNSIGNED_BYTE, true);
    bind("state", 1, gl.UNSIGNED_BYTE, false);
    const { scale, offset } = clipTransform(cam);
    gl.uniform1f(this.loc.u_t, t);
    gl.uniform2f(this.loc.u_scale, scale[0], scale[1]);
    gl.uniform2f(this.loc.u_offset, offset[0], offset[1]);
    gl.uniform1f(this.loc.u_size, (2 * style.radius + 1) * dpr);
    gl.uniform1f(this.loc.u_selectedSize, (2 * style.radius + (style.ring ? 4 : 1)) * dpr);
    const ring = style.ring ?? [0, 0, 0];
    gl.uniform3f(this.loc.u_ring, ring[0] / 255, ring[1] / 255, ring[2] / 255);
    gl.uniform1f(this.loc.u_ringOn, style.ring ? 1 : 0);
    gl.uniform1f(this.loc.u_dim, style.dim);
    gl.drawArrays(gl.POINTS, 0, this.n);
  }
}
