/**
 * Drawing the points: a small software rasteriser into one RGBA buffer (put on the canvas with a
 * single putImageData). Each point stamps an anti-aliased disc mask; 50,000 points take a few
 * milliseconds, with or without a GPU. Points outside the view are skipped.
 */

import { type Camera } from "./camera";

export interface Raster {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export type RGB = [number, number, number];

/** Pixel offsets of a stamp around its centre, with their coverage in 0..1. */
export interface Mask {
  dx: Int16Array;
  dy: Int16Array;
  cov: Float32Array;
  /** Coverage as an integer weight out of 256. */
  weight: Int32Array;
  /** Largest |dx| or |dy|. */
  extent: number;
  /** Linear pixel offsets `dy * width + dx`, cached per raster width. */
  linear: Map<number, Int32Array>;
}

function makeMask(outer: number, inner: number): Mask {
  const dx: number[] = [], dy: number[] = [], cov: number[] = [];
  const R = Math.ceil(outer + 1);
  for (let y = -R; y <= R; y++) {
    for (let x = -R; x <= R; x++) {
      const d = Math.hypot(x, y);
      const c = Math.min(1, Math.max(0, outer + 0.5 - d)) - Math.min(1, Math.max(0, inner + 0.5 - d));
      if (c > 0.01) {
        dx.push(x);
        dy.push(y);
        cov.push(Math.min(1, c));
      }
    }
  }
  const extent = Math.max(0, ...dx.map(Math.abs), ...dy.map(Math.abs));
  return { dx: Int16Array.from(dx), dy: Int16Array.from(dy), cov: Float32Array.from(cov), weight: Int32Array.from(cov, (c) => Math.round(c * 256)), extent, linear: new Map() };
}

const masks = new Map<string, Mask>();

/** An anti-aliased disc of radius `r` pixels (cached). */
export function discMask(r: number): Mask {
  return cachedMask(`d${r}`, () => makeMask(r, -1));
}

/** An anti-aliased ring between radii `r` and `r + width` pixels (cached). */
export function ringMask(r: number, width: number): Mask {
  return cachedMask(`r${r}|${width}`, () => makeMask(r + width, r));
}

function cachedMask(key: string, make: () => Mask): Mask {
  let m = masks.get(key);
  if (!m) {
    m = make();
    masks.set(key, m);
  }
  return m;
}

/** Fill the whole raster with an opaque colour. */
export function fillRaster(r: Raster, rgb: RGB): void {
  const d = r.data;
  for (let p = 0; p < d.length; p += 4) {
    d[p] = rgb[0];
    d[p + 1] = rgb[1];
    d[p + 2] = rgb[2];
    d[p + 3] = 255;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const words32 = new WeakMap<Uint8ClampedArray, Uint32Array>();

function u32(r: Raster): Uint32Array {
  let w = words32.get(r.data);
  if (!w) {
    w = new Uint32Array(r.data.buffer, r.data.byteOffset, r.data.byteLength >> 2);
    words32.set(r.data, w);
  }
  return w;
}

function linearOffsets(mask: Mask, width: number): Int32Array {
  let off = mask.linear.get(width);
  if (!off) {
    off = Int32Array.from(mask.dx, (dx, k) => mask.dy[k] * width + dx);
    mask.linear.set(width, off);
  }
  return off;
}

function blend(data: Uint8ClampedArray, p: number, rgb: RGB, a: number): void {
  data[p] += (rgb[0] - data[p]) * a;
  data[p + 1] += (rgb[1] - data[p + 1]) * a;
  data[p + 2] += (rgb[2] - data[p + 2]) * a;
}

/** Blend `mask` in `rgb` at (cx, cy) with opacity `alpha` onto an opaque raster. */
export function stamp(r: Raster, cx: number, cy: number, mask: Mask, rgb: RGB, alpha = 1): void {
  const { data, width, height } = r;
  const e = mask.extent;
  if (LITTLE_ENDIAN && cx - e >= 0 && cy - e >= 0 && cx + e < width && cy + e < height) {
    // fast path: the whole stamp is inside; solid pixels are written as one 32-bit word
    const words = u32(r);
    const packed = (255 << 24) | (rgb[2] << 16) | (rgb[1] << 8) | rgb[0];
    const off = linearOffsets(mask, width);
    const base = cy * width + cx;
    const srb = packed & 0xff00ff, sg = packed & 0x00ff00;
    const weight = mask.weight;
    const scale = Math.round(alpha * 256);
    for (let k = 0; k < off.length; k++) {
      const q = base + off[k];
      const a = scale >= 256 ? weight[k] : (weight[k] * scale) >> 8;
      if (a >= 256) {
        words[q] = packed;
      } else if (a > 0) {
        // blend red+blue and green in two integer multiplies: (src*a + dst*(256-a)) >> 8
        const d = words[q], b = 256 - a;
        const rb = (((srb * a + (d & 0xff00ff) * b) >>> 8) & 0xff00ff) >>> 0;
        const g = (((sg * a + (d & 0x00ff00) * b) >>> 8) & 0x00ff00) >>> 0;
        words[q] = (0xff000000 | rb | g) >>> 0;
      }
    }
    return;
  }
  for (let k = 0; k < mask.cov.length; k++) {
    const x = cx + mask.dx[k], y = cy + mask.dy[k];
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    const p = (y * width + x) << 2;
    const a = mask.cov[k] * alpha;
    if (a >= 1) {
      data[p] = rgb[0];
      data[p + 1] = rgb[1];
      data[p + 2] = rgb[2];
      data[p + 3] = 255;
    } else blend(data, p, rgb, a);
  }
}

export interface PointStyle {
  /** Radius in device pixels. */
  radius: number;
  alpha?: number;
  /** Optional outline (e.g. selected points): colour and width in device pixels. */
  ring?: RGB;
  ringWidth?: number;
}

/**
 * Draw points (all, or those for which `keep(i)` is true) with their colour `colors[codes[i]]`.
 * `scale` is the camera scale times the device pixel ratio. Returns the number drawn.
 */
export function rasterPoints(
  r: Raster,
  xy: Float32Array,
  codes: Int32Array,
  colors: RGB[],
  cam: Camera,
  dpr: number,
  style: PointStyle,
  keep?: (i: number) => boolean,
): number {
  const k = cam.scale * dpr;
  const ox = (cam.width * dpr) / 2 - cam.cx * k;
  const oy = (cam.height * dpr) / 2 + cam.cy * k;
  const disc = discMask(style.radius);
  const ring = style.ring ? ringMask(style.radius, style.ringWidth ?? 1) : null;
  const margin = style.radius + (style.ringWidth ?? 0) + 2;
  const alpha = style.alpha ?? 1;
  const fallback: RGB = [128, 128, 128];
  let drawn = 0;
  for (let i = 0, n = xy.length >> 1; i < n; i++) {
    if (keep && !keep(i)) continue;
    const sx = Math.round(xy[2 * i] * k + ox), sy = Math.round(oy - xy[2 * i + 1] * k);
    if (!(sx > -margin && sy > -margin && sx < r.width + margin && sy < r.height + margin)) continue;
    if (ring) stamp(r, sx, sy, ring, style.ring!, alpha);
    stamp(r, sx, sy, disc, colors[codes[i]] ?? fallback, alpha);
    drawn++;
  }
  return drawn;
}

/** Draw a ring (and optionally a filled centre) around one point, in CSS pixels. */
export function ring(
  ctx: CanvasRenderingContext2D,
  sx: number,
  sy: number,
  radius: number,
  stroke: string,
  width: number,
  fill?: string,
): void {
  ctx.beginPath();
  ctx.arc(sx, sy, radius, 0, 2 * Math.PI);
  if (fill) {
    ctx.fillStyle = fill;
    ctx.fill();
  }
  ctx.lineWidth = width;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}
