/**
 * Drawing the points on a 2D canvas: one pre-rendered disc sprite per colour, points sorted by
 * colour so each sprite is drawn in one run, and points outside the view skipped.
 */

import { type Camera } from "./camera";

export interface PointStyle {
  radius: number;
  dpr: number;
}

export interface ColorRuns {
  /** Point indices sorted by colour code. */
  order: Int32Array;
  /** `order[start[c] .. start[c + 1])` are the points of colour c. */
  start: Int32Array;
}

/** Group point indices by colour code (codes outside the palette go to the last colour). */
export function colorRuns(codes: Int32Array, nColors: number): ColorRuns {
  const k = Math.max(1, nColors);
  const start = new Int32Array(k + 1);
  const clamp = (c: number) => (c >= 0 && c < k ? c : k - 1);
  for (let i = 0; i < codes.length; i++) start[clamp(codes[i]) + 1]++;
  for (let c = 1; c <= k; c++) start[c] += start[c - 1];
  const fill = start.slice(0, k);
  const order = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) order[fill[clamp(codes[i])]++] = i;
  return { order, start };
}

const spriteCache = new Map<string, HTMLCanvasElement>();

/** A disc of `color` with an optional ring, sized in device pixels. */
export function sprite(color: string, radiusPx: number, ring?: string, ringPx = 0): HTMLCanvasElement {
  const key = `${color}|${radiusPx}|${ring}|${ringPx}`;
  let c = spriteCache.get(key);
  if (c) return c;
  const size = Math.ceil(2 * (radiusPx + ringPx) + 2);
  c = document.createElement("canvas");
  c.width = c.height = size;
  const ctx = c.getContext("2d")!;
  ctx.beginPath();
  ctx.arc(size / 2, size / 2, radiusPx, 0, 2 * Math.PI);
  ctx.fillStyle = color;
  ctx.fill();
  if (ring && ringPx > 0) {
    ctx.lineWidth = ringPx;
    ctx.strokeStyle = ring;
    ctx.stroke();
  }
  if (spriteCache.size > 256) spriteCache.clear();
  spriteCache.set(key, c);
  return c;
}

/** Draw `indices` (or all runs) with their colour's sprite. `alpha` applies to all. */
export function drawPoints(
  ctx: CanvasRenderingContext2D,
  xy: Float32Array,
  runs: ColorRuns,
  palette: string[],
  cam: Camera,
  style: PointStyle,
  keep?: (i: number) => boolean,
  alpha = 1,
): number {
  const { dpr } = style;
  const r = Math.max(1, Math.round(style.radius * dpr));
  const k = cam.scale * dpr;
  const ox = cam.width * dpr / 2 - cam.cx * k;
  const oy = cam.height * dpr / 2 + cam.cy * k;
  const W = cam.width * dpr + r, H = cam.height * dpr + r;
  let drawn = 0;
  ctx.globalAlpha = alpha;
  for (let c = 0; c + 1 < runs.start.length; c++) {
    const img = sprite(palette[c] ?? "#888", r);
    const half = img.width / 2;
    for (let p = runs.start[c]; p < runs.start[c + 1]; p++) {
      const i = runs.order[p];
      if (keep && !keep(i)) continue;
      const sx = xy[2 * i] * k + ox, sy = oy - xy[2 * i + 1] * k;
      if (sx < -r || sy < -r || sx > W || sy > H || sx !== sx || sy !== sy) continue;
      ctx.drawImage(img, (sx - half) | 0, (sy - half) | 0);
      drawn++;
    }
  }
  ctx.globalAlpha = 1;
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
