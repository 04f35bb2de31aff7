/**
 * An analogy drawn on the map (`ex.show_analogy("king", "man", "woman")`, or `king - man + woman`
 * typed in the search box): the offset arrow b → a (man → king), the same offset drawn from c
 * (woman → ✕), the parallelogram's other sides dashed, a ✕ where the vector â − b̂ + ĉ lands,
 * and a dotted line from the ✕ to the top answer, which the full space chose and the map may put
 * elsewhere. Words are drawn with fillText only.
 */

import { type Camera, toScreenX, toScreenY } from "./camera";
import type { Theme } from "./theme";

export interface AnalogyMarks {
  /** Point indices of a, b and c in `a - b + c` (-1: not plotted). */
  a: number;
  b: number;
  c: number;
  /** Where â − b̂ + ĉ lands, in layout coordinates (null: unknown). */
  target: [number, number] | null;
  /** Points of the top answers, best first. */
  answers: number[];
  /** Drawn beside the ✕, e.g. "king − man + woman". */
  label: string;
}

type Segment = [number, number, number, number];

/** Screen geometry of an analogy: arrows, dashed sides, the ✕ and the line to the top answer. */
export interface AnalogyGeometry {
  /** b → a: the offset itself. */
  offset: Segment | null;
  /** c → ✕: the same offset added at c. */
  copy: Segment | null;
  /** b → c and a → ✕: the parallelogram's other sides. */
  sides: Segment[];
  target: [number, number] | null;
  /** ✕ → the top answer's point. */
  gap: Segment | null;
}

export const ARROW_COLOR = { light: "#c2185b", dark: "#f06292" };
const HEAD_PX = 9;
const CROSS_PX = 7;

export function analogyGeometry(xy: Float32Array, cam: Camera, m: AnalogyMarks): AnalogyGeometry {
  const at = (i: number): [number, number] | null =>
    i >= 0 && 2 * i + 1 < xy.length ? [toScreenX(cam, xy[2 * i]), toScreenY(cam, xy[2 * i + 1])] : null;
  const seg = (p: [number, number] | null, q: [number, number] | null): Segment | null => (p && q ? [p[0], p[1], q[0], q[1]] : null);
  const [a, b, c] = [at(m.a), at(m.b), at(m.c)];
  const target: [number, number] | null = m.target ? [toScreenX(cam, m.target[0]), toScreenY(cam, m.target[1])] : null;
  const sides = [seg(b, c), seg(a, target)].filter((s): s is Segment => s !== null);
  return { offset: seg(b, a), copy: seg(c, target), sides, target, gap: seg(target, at(m.answers[0] ?? -1)) };
}

function arrow(ctx: CanvasRenderingContext2D, [x0, y0, x1, y1]: Segment): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 1) return;
  const ux = (x1 - x0) / len, uy = (y1 - y0) / len;
  const head = Math.min(HEAD_PX, len / 2);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1 - ux * head * 0.8, y1 - uy * head * 0.8);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - ux * head - uy * head * 0.5, y1 - uy * head + ux * head * 0.5);
  ctx.lineTo(x1 - ux * head + uy * head * 0.5, y1 - uy * head - ux * head * 0.5);
  ctx.closePath();
  ctx.fill();
}

function line(ctx: CanvasRenderingContext2D, [x0, y0, x1, y1]: Segment): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/** Draw the analogy under the rings and labels of the overlay. */
export function drawAnalogy(ctx: CanvasRenderingContext2D, xy: Float32Array, cam: Camera, theme: Theme, m: AnalogyMarks): AnalogyGeometry {
  const g = analogyGeometry(xy, cam, m);
  const color = theme.dark ? ARROW_COLOR.dark : ARROW_COLOR.light;
  ctx.save();
  ctx.lineCap = "round";
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.setLineDash([5, 4]);
  g.sides.forEach((s) => line(ctx, s));
  ctx.setLineDash([2, 3]);
  if (g.gap) line(ctx, g.gap);
  ctx.setLineDash([]);
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 2.5;
  if (g.offset) arrow(ctx, g.offset);
  if (g.copy) arrow(ctx, g.copy);
  if (g.target) {
    const [x, y] = g.target;
    ctx.lineWidth = 3;
    line(ctx, [x - CROSS_PX, y - CROSS_PX, x + CROSS_PX, y + CROSS_PX]);
    line(ctx, [x - CROSS_PX, y + CROSS_PX, x + CROSS_PX, y - CROSS_PX]);
  }
  ctx.restore();
  return g;
}

/** The ✕'s caption, drawn after the word labels so none covers it. */
export function drawAnalogyLabel(ctx: CanvasRenderingContext2D, xy: Float32Array, cam: Camera, theme: Theme, m: AnalogyMarks): void {
  const target = analogyGeometry(xy, cam, m).target;
  if (!target) return;
  const [x, y] = target;
  ctx.save();
  ctx.font = `600 12px ${theme.font}`;
  ctx.textBaseline = "middle";
  const w = ctx.measureText(m.label).width + 6;
  const left = x + CROSS_PX + w + 4 > cam.width ? x - CROSS_PX - 4 - w : x + CROSS_PX + 4;
  ctx.fillStyle = theme.labelBackground;
  ctx.fillRect(left, y + CROSS_PX, w, 16);
  ctx.fillStyle = theme.dark ? ARROW_COLOR.dark : ARROW_COLOR.light;
  ctx.fillText(m.label, left + 3, y + CROSS_PX + 8);
  ctx.restore();
}
