/**
 * The overlay canvas: rings around hovered, pinned, focused, neighbour and result points, their
 * labels (placed without overlap, drawn with fillText), dashed lines from a word to those of its
 * listed (true, full-space) neighbours that the map puts far away, and the lasso or box.
 */

import { type AnalogyMarks, drawAnalogy, drawAnalogyLabel } from "./arrows";
import { type Camera, toScreenX, toScreenY } from "./camera";
import { displayWord, ellipsize } from "../panel/dom";
import { type LabelCandidate, type PlacedLabel, placeLabels } from "./labels";
import { ring } from "./scatter";
import type { Theme } from "./theme";

/** The words by point: a `WordList` (words.ts) or an array. */
export type WordsByPoint = { readonly length: number; at(i: number): string | undefined };

export interface Marks {
  hovered: number;
  focused: number;
  listHover: number;
  pinned: number[];
  neighbours: number[];
  /** The point whose neighbours are listed (-1: none or not plotted). */
  source: number;
  results: number[];
  topLabels: number;
  lasso: number[] | null;
  box: [number, number, number, number] | null;
  /** An analogy's arrows (arrows.ts), or null. */
  analogy: AnalogyMarks | null;
}

export function emptyMarks(): Marks {
  return { hovered: -1, focused: -1, listHover: -1, pinned: [], neighbours: [], source: -1, results: [], topLabels: 0, lasso: null, box: null, analogy: null };
}

const FONT_PX = 12;
/** A listed neighbour this far (CSS pixels) from its word on the map gets a line: the map tore them apart. */
export const FAR_NEIGHBOUR_PX = 80;
const LINE = FONT_PX + 6;
const POINT_R = 3;

function visible(cam: Camera, sx: number, sy: number): boolean {
  return sx >= 0 && sy >= 0 && sx <= cam.width && sy <= cam.height;
}

/** Label candidates in priority order: hovered, focused, pinned, results, neighbours, frequent. */
export function labelCandidates(words: WordsByPoint, xy: Float32Array, cam: Camera, marks: Marks): LabelCandidate[] {
  const out: LabelCandidate[] = [];
  const push = (i: number, priority: number) => {
    if (i < 0 || i >= words.length) return;
    const x = toScreenX(cam, xy[2 * i]), y = toScreenY(cam, xy[2 * i + 1]);
    if (visible(cam, x, y)) out.push({ id: i, text: ellipsize(displayWord(words.at(i)!), 40), x, y, priority });
  };
  push(marks.hovered, 1000);
  push(marks.listHover, 990);
  push(marks.focused, 980);
  marks.pinned.forEach((i) => push(i, 900));
  analogyPoints(marks).forEach((i, r) => push(i, 850 - r / 1000));
  marks.results.forEach((i, r) => push(i, 800 - r / 1000));
  marks.neighbours.forEach((i, r) => push(i, 700 - r / 1000));
  let frequent = 0;
  for (let i = 0; i < words.length && frequent < marks.topLabels * 4; i++) {
    const x = toScreenX(cam, xy[2 * i]), y = toScreenY(cam, xy[2 * i + 1]);
    if (!visible(cam, x, y)) continue;
    out.push({ id: i, text: ellipsize(displayWord(words.at(i)!), 40), x, y, priority: 100 - i / words.length, group: "frequent" });
    frequent++;
  }
  return out;
}

/** The analogy's words and top answers, labelled in that order. */
function analogyPoints(marks: Marks): number[] {
  const m = marks.analogy;
  return m ? [m.a, m.b, m.c, ...m.answers].filter((i) => i >= 0) : [];
}

/** Neighbour points at least `minPx` from the source point on screen (the map's distortion). */
export function farNeighbours(xy: Float32Array, cam: Camera, source: number, neighbours: number[], minPx = FAR_NEIGHBOUR_PX): number[] {
  if (source < 0 || 2 * source + 1 >= xy.length) return [];
  const sx = toScreenX(cam, xy[2 * source]), sy = toScreenY(cam, xy[2 * source + 1]);
  return neighbours.filter((i) => {
    if (i < 0 || i === source || 2 * i + 1 >= xy.length) return false;
    return Math.hypot(toScreenX(cam, xy[2 * i]) - sx, toScreenY(cam, xy[2 * i + 1]) - sy) >= minPx;
  });
}

function drawFarLines(ctx: CanvasRenderingContext2D, xy: Float32Array, cam: Camera, theme: Theme, marks: Marks): void {
  const far = farNeighbours(xy, cam, marks.source, marks.neighbours);
  if (far.length === 0) return;
  const x0 = toScreenX(cam, xy[2 * marks.source]), y0 = toScreenY(cam, xy[2 * marks.source + 1]);
  ctx.save();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = theme.accent;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  for (const i of far) {
    ctx.moveTo(x0, y0);
    ctx.lineTo(toScreenX(cam, xy[2 * i]), toScreenY(cam, xy[2 * i + 1]));
  }
  ctx.stroke();
  ctx.restore();
}

function drawRings(ctx: CanvasRenderingContext2D, xy: Float32Array, cam: Camera, theme: Theme, marks: Marks): void {
  const at = (i: number) => [toScreenX(cam, xy[2 * i]), toScreenY(cam, xy[2 * i + 1])] as const;
  const draw = (i: number, r: number, color: string, width: number, fill?: string) => {
    if (i < 0 || 2 * i + 1 >= xy.length) return;
    const [x, y] = at(i);
    ring(ctx, x, y, r, color, width, fill);
  };
  marks.neighbours.forEach((i) => draw(i, POINT_R + 2.5, theme.accent, 1.5));
  marks.results.forEach((i) => draw(i, POINT_R + 3, theme.accent, 2.5));
  marks.pinned.forEach((i) => draw(i, POINT_R + 3.5, theme.text, 2));
  draw(marks.focused, POINT_R + 5, theme.hover, 2.5);
  draw(marks.listHover, POINT_R + 4, theme.hover, 2);
  draw(marks.hovered, POINT_R + 3, theme.hover, 2, theme.hover);
}

function drawLabels(ctx: CanvasRenderingContext2D, placed: PlacedLabel[], theme: Theme, important: Set<number>): void {
  ctx.textBaseline = "middle";
  for (const p of placed) {
    ctx.fillStyle = theme.labelBackground;
    ctx.fillRect(p.x, p.y, p.w, p.h);
    ctx.font = `${important.has(p.id) ? "600 " : ""}${FONT_PX}px ${theme.font}`;
    ctx.fillStyle = important.has(p.id) ? theme.text : theme.muted;
    ctx.fillText(p.text, p.x + 3, p.y + p.h / 2);
  }
}

function drawSelectionShape(ctx: CanvasRenderingContext2D, theme: Theme, marks: Marks): void {
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = theme.accent;
  ctx.setLineDash([5, 4]);
  if (marks.lasso && marks.lasso.length >= 4) {
    ctx.beginPath();
    ctx.moveTo(marks.lasso[0], marks.lasso[1]);
    for (let i = 2; i + 1 < marks.lasso.length; i += 2) ctx.lineTo(marks.lasso[i], marks.lasso[i + 1]);
    ctx.closePath();
    ctx.stroke();
  }
  if (marks.box) {
    const [x0, y0, x1, y1] = marks.box;
    ctx.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
  }
  ctx.setLineDash([]);
}

/** Returns the labels drawn (used by tests and by the debug handle). */
export function drawOverlay(
  ctx: CanvasRenderingContext2D,
  words: WordsByPoint,
  xy: Float32Array,
  cam: Camera,
  theme: Theme,
  marks: Marks,
  dpr: number,
  /** Width of `text` in the (bold) label font, CSS pixels. */
  measure: (text: string) => number,
): PlacedLabel[] {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cam.width, cam.height);
  drawFarLines(ctx, xy, cam, theme, marks);
  if (marks.analogy) drawAnalogy(ctx, xy, cam, theme, marks.analogy);
  drawRings(ctx, xy, cam, theme, marks);
  const important = new Set([marks.hovered, marks.focused, marks.listHover, ...marks.pinned, ...marks.results, ...analogyPoints(marks)]);
  const cands = labelCandidates(words, xy, cam, marks);
  const placed = placeLabels(cands, (text) => measure(text) + 6, {
    width: cam.width,
    height: cam.height,
    lineHeight: LINE,
    offset: POINT_R + 4,
    maxLabels: 400,
    quota: { frequent: marks.topLabels },
  });
  drawLabels(ctx, placed, theme, important);
  if (marks.analogy) drawAnalogyLabel(ctx, xy, cam, theme, marks.analogy);
  drawSelectionShape(ctx, theme, marks);
  return placed;
}

/** A cached text measurer for the label font. */
export function labelMeasurer(ctx: CanvasRenderingContext2D, theme: Theme): (text: string) => number {
  const cache = new Map<string, number>();
  return (text) => {
    let w = cache.get(text);
    if (w === undefined) {
      ctx.font = `600 ${FONT_PX}px ${theme.font}`;
      w = ctx.measureText(text).width;
      if (cache.size > 5000) cache.clear();
      cache.set(text, w);
    }
    return w;
  };
}
