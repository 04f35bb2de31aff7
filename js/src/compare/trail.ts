/**
 * Trails: for the hovered, focused or listed word, the path from its place in run a to its place
 * in run b (a hollow ring where it starts, an arrowhead where it ends), drawn over the map so the
 * eye can follow a word while the slider moves it.
 */

import { type Camera, toScreenX, toScreenY } from "../plot/camera";

export interface Trail {
  point: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/** Screen segments (CSS pixels) from a to b for the given points (duplicates and -1 skipped). */
export function trails(points: number[], xyA: Float32Array, xyB: Float32Array, cam: Camera): Trail[] {
  const out: Trail[] = [];
  for (const i of new Set(points)) {
    if (i < 0 || 2 * i + 1 >= xyA.length || 2 * i + 1 >= xyB.length) continue;
    out.push({
      point: i,
      ax: toScreenX(cam, xyA[2 * i]),
      ay: toScreenY(cam, xyA[2 * i + 1]),
      bx: toScreenX(cam, xyB[2 * i]),
      by: toScreenY(cam, xyB[2 * i + 1]),
    });
  }
  return out;
}

const HEAD_PX = 8;

export function drawTrails(ctx: CanvasRenderingContext2D, list: Trail[], color: string): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([]);
  for (const t of list) {
    const len = Math.hypot(t.bx - t.ax, t.by - t.ay);
    ctx.beginPath();
    ctx.arc(t.ax, t.ay, 4, 0, 2 * Math.PI);
    ctx.stroke();
    if (len < 6) continue;
    const ux = (t.bx - t.ax) / len, uy = (t.by - t.ay) / len;
    ctx.beginPath();
    ctx.moveTo(t.ax + 4 * ux, t.ay + 4 * uy);
    ctx.lineTo(t.bx - HEAD_PX * ux, t.by - HEAD_PX * uy);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(t.bx, t.by);
    ctx.lineTo(t.bx - HEAD_PX * ux - (HEAD_PX / 2) * uy, t.by - HEAD_PX * uy + (HEAD_PX / 2) * ux);
    ctx.lineTo(t.bx - HEAD_PX * ux + (HEAD_PX / 2) * uy, t.by - HEAD_PX * uy - (HEAD_PX / 2) * ux);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}
