/**
 * The plot: two canvases (points, then marks and labels), the camera, animated moves of points
 * and camera, and hit testing. Redraws happen on animation frames; `invalidate(true)` repaints
 * the points, `invalidate(false)` only the overlay. Points are drawn with WebGL where the browser
 * has it (webgl.ts) and with the software rasteriser otherwise (scatter.ts), never a blank map:
 * a lost WebGL context swaps in a fresh canvas drawn by the rasteriser.
 *
 * When a full redraw of the points is slow (a million points on a software GPU or the fallback
 * take a second), panning and zooming move the last drawn image with a CSS transform (the
 * compositor's work, every frame) and redraw the points once the gesture pauses.
 *
 * A map of more than `FIRST_POINTS` points is first drawn with WebGL in two steps: the first
 * `FIRST_POINTS` (the most frequent words: points come in frequency order) handed to the GPU and
 * drawn, then every point on the next frame (on a software GPU a 3M-point map shows in a fraction
 * of the time the whole map takes); `onFirstDraw` reports both. Above `SOFTWARE_GL_MAX_POINTS`,
 * a WebGL that runs on the CPU hands the map to the rasteriser, which draws it faster there.
 */

import {
  boundsOf,
  type Camera,
  centreOn,
  easeInOut,
  fitBounds,
  lerpCamera,
  panBy,
  resize,
  toScreenX,
  toScreenY,
  toWorld,
  zoomAt,
} from "./camera";
import { drawOverlay, emptyMarks, farNeighbours, labelMeasurer, type Marks } from "./overlay";
import { lerpPositions, type PlotData, startPositions } from "./plotdata";
import { fillRaster, type PointStyle, type Raster, rasterPoints } from "./scatter";
import { parseColor, type Theme } from "./theme";
import { GLPoints } from "./webgl";

const POINT_RADIUS = 2.5;
const MIN_POINT_RADIUS = 1;
const DIMMED_ALPHA = 0.18;
/** Selections up to this size get an outline; larger ones show by dimming the rest only. */
const RING_MAX = 2000;
const HOVER_RADIUS_PX = 8;
const MOVE_MS = 800;
const CAMERA_MS = 450;
/** A full redraw slower than this (ms) makes gestures move the drawn image instead. */
const SLOW_DRAW_MS = 30;
/** Redraw the points this long (ms) after the last gesture step. */
const SETTLE_MS = 160;
/** Above this many points, WebGL's first frame shows the first this many, the rest a frame later. */
export const FIRST_POINTS = 300_000;
/** Above this many points, a WebGL on the CPU (SwiftShader, llvmpipe: no GPU) gives way to the
 * rasteriser: at 3M points it draws the whole map in about a seventh of SwiftShader's time
 * (benchmarks/README.md, the explorer at 3M words). */
export const SOFTWARE_GL_MAX_POINTS = 1_000_000;

type Anim<T> = { from: T; to: T; start: number; ms: number };

export interface Canvases {
  plot: HTMLElement;
  base: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
}

export type Backend = "webgl" | "canvas";

/**
 * Point radius in CSS pixels: 2.5 on sparse maps, smaller where points crowd (about
 * `width * height / visible points` pixels each, visible points estimated from the zoom), at
 * least 1, so a million points read as a density map instead of a solid block.
 */
export function pointRadius(points: number, width: number, height: number, zoom: number): number {
  if (points <= 0) return POINT_RADIUS;
  const spacing = Math.sqrt((width * height * zoom * zoom) / points);
  return Math.min(POINT_RADIUS, Math.max(MIN_POINT_RADIUS, 0.6 * spacing));
}

export class PlotRenderer {
  data: PlotData | null = null;
  readonly marks: Marks = emptyMarks();
  private selection = new Set<number>();
  private gl: GLPoints | null;
  private drawn = false;
  /** The camera of the image on the points canvas, and how long drawing it took. */
  private drawnCam: Camera | null = null;
  private lastBaseMs = 0;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Labels drawn in the last frame (point indices). */
  labels: number[] = [];
  /** Where the first frame's time went (ms, for the benchmarks): `upload` the data handed to the
   * GPU (WebGL: waited for, so that `draw` is the drawing alone), `draw` the first full draw. */
  readonly firstFrame = { created: performance.now(), dataAt: 0, upload: 0, drawAt: 0, draw: 0, points: 0, allAt: 0 };
  /** Points the GPU holds so far, while the first frame shows only the first `FIRST_POINTS`. */
  private partial = 0;
  private xy = new Float32Array(0);
  private move: Anim<Float32Array> | null = null;
  private cam: Camera = { cx: 0, cy: 0, scale: 1, width: 1, height: 1 };
  private camMove: Anim<Camera> | null = null;
  private baseScale = 1;
  private userMoved = false;
  private frame = 0;
  private baseDirty = true;
  private image: ImageData | null = null;
  private measure: (text: string) => number;

  constructor(
    private readonly canvases: Canvases,
    private theme: Theme,
    /** Called when the first frame is drawn (`points` of `total`) and again when every point is
     * (`points` = `total`), with the ms the drawing took. */
    private readonly onFirstDraw: (points: number, total: number) => void,
  ) {
    this.measure = labelMeasurer(this.overlayCtx(), theme);
    this.gl = GLPoints.create(canvases.base);
    canvases.base.addEventListener("webglcontextlost", this.contextLost);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.settleTimer);
    this.canvases.base.removeEventListener("webglcontextlost", this.contextLost);
  }

  /** How the points are drawn. */
  get backend(): Backend {
    return this.gl ? "webgl" : "canvas";
  }

  private readonly contextLost = (): void => this.toRasteriser();

  /** Carry on with the rasteriser on a fresh canvas (a canvas keeps its first context type). */
  private toRasteriser(): void {
    const old = this.canvases.base;
    old.removeEventListener("webglcontextlost", this.contextLost);
    this.gl?.release();
    const fresh = old.ownerDocument.createElement("canvas");
    fresh.className = old.className;
    fresh.width = old.width;
    fresh.height = old.height;
    old.replaceWith(fresh);
    this.canvases.base = fresh;
    this.gl = null;
    this.image = null;
    this.invalidate(true);
  }

  get selected(): Set<number> {
    return this.selection;
  }

  set selected(points: Set<number>) {
    this.selection = points;
    this.gl?.setSelection(this.partial || (this.data?.words.length ?? 0), points);
  }

  get camera(): Camera {
    return { ...this.cam };
  }

  get busy(): boolean {
    return Boolean(this.move || this.camMove);
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.measure = labelMeasurer(this.overlayCtx(), theme);
    this.invalidate(true);
  }

  /** Points that `fit` frames instead of the data's (e.g. both ends of a morph); null: the data. */
  fitXY: Float32Array | null = null;
  /** Drawn on the overlay after the marks (CSS pixels at camera `cam`), e.g. the compare view's trails. */
  drawExtra: ((ctx: CanvasRenderingContext2D, cam: Camera) => void) | null = null;

  /** Show new data; points present before move from where they were (at once with `animate` false). */
  setData(next: PlotData, animate = true): void {
    const t0 = performance.now();
    const old = this.data;
    this.data = next;
    this.partial = 0;
    const n = next.words.length;
    if (!this.drawn && !old && this.gl?.software && n > SOFTWARE_GL_MAX_POINTS) this.toRasteriser();
    if (!this.drawn && !old && this.gl && n > FIRST_POINTS) {
      // the first frame: the most frequent points first, every point on the next frame
      this.move = null;
      this.xy = next.xy.slice();
      this.partial = FIRST_POINTS;
      const head = next.xy.subarray(0, 2 * FIRST_POINTS);
      this.gl.setPositions(head, head);
      this.gl.setColors(next.codes.subarray(0, FIRST_POINTS), next.colors);
      this.gl.setSelection(FIRST_POINTS, this.selection);
    } else if (animate && old && old.words.length > 0 && this.xy.length > 0) {
      const from = startPositions(old, next, this.xy);
      this.move = { from, to: next.xy, start: performance.now(), ms: MOVE_MS };
      this.xy = from.slice();
      this.gl?.setPositions(from, next.xy);
    } else {
      this.move = null;
      this.xy = next.xy.slice();
      this.gl?.setPositions(next.xy, next.xy);
    }
    if (!this.partial) {
      this.gl?.setColors(next.codes, next.colors);
      this.gl?.setSelection(n, this.selection);
    }
    if (!this.drawn && !old) {
      this.gl?.finish();
      Object.assign(this.firstFrame, { dataAt: t0 - this.firstFrame.created, upload: performance.now() - t0 });
    }
    // points that move (a new layout, a training update) take the camera along smoothly
    if (!this.userMoved) this.fit(this.move !== null);
    this.invalidate(true);
  }

  // ---- camera -------------------------------------------------------------------------------

  fit(animate: boolean): void {
    const target = fitBounds(boundsOf(this.fitXY ?? this.data?.xy ?? new Float32Array(0)), this.cam.width, this.cam.height);
    this.baseScale = target.scale;
    if (animate) {
      this.animateCamera(target);
      this.userMoved = false;
    } else this.cam = target;
    this.invalidate(true);
  }

  /** Centre on point `i`, zooming in to at least three times the fitted scale. */
  focus(i: number): void {
    const xy = this.data!.xy;
    this.animateCamera(centreOn(this.cam, xy[2 * i], xy[2 * i + 1], Math.max(this.cam.scale, this.baseScale * 3)));
  }

  /** Frame points (and `extra` layout coordinates, x, y, ...: e.g. an analogy's ✕). */
  fitPoints(points: number[], extra: number[] = []): void {
    if (!this.data || points.length === 0) return;
    const xy = new Float32Array([...points.flatMap((i) => [this.data!.xy[2 * i], this.data!.xy[2 * i + 1]]), ...extra]);
    const target = fitBounds(boundsOf(xy), this.cam.width, this.cam.height, 60);
    target.scale = Math.min(target.scale, this.baseScale * 20);
    this.animateCamera(target);
  }

  pan(dx: number, dy: number): void {
    this.camMove = null;
    this.userMoved = true;
    this.cam = panBy(this.cam, dx, dy);
    this.gesture();
  }

  zoom(sx: number, sy: number, factor: number): void {
    this.camMove = null;
    this.userMoved = true;
    this.cam = zoomAt(this.cam, sx, sy, factor, this.baseScale);
    this.gesture();
  }

  /** True when gestures move the drawn image rather than redraw the points every frame. */
  get movesImage(): boolean {
    return this.lastBaseMs > SLOW_DRAW_MS && this.drawnCam !== null && this.move === null;
  }

  /** After a camera change by a gesture: redraw now, or move the image and redraw when it pauses. */
  private gesture(): void {
    if (!this.movesImage) return this.invalidate(true);
    this.moveImage();
    this.invalidate(false);
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.invalidate(true), SETTLE_MS);
  }

  /** Transform the points canvas so its image (drawn at `drawnCam`) sits where `cam` shows it. */
  private moveImage(): void {
    const from = this.drawnCam!, to = this.cam;
    const k = to.scale / from.scale;
    const tx = (to.width / 2) * (1 - k) + (from.cx - to.cx) * to.scale;
    const ty = (to.height / 2) * (1 - k) + (to.cy - from.cy) * to.scale;
    const style = this.canvases.base.style;
    style.transformOrigin = "0 0";
    style.transform = `translate(${tx}px, ${ty}px) scale(${k})`;
  }

  private animateCamera(target: Camera): void {
    this.userMoved = true;
    this.camMove = { from: this.cam, to: target, start: performance.now(), ms: CAMERA_MS };
    this.invalidate(true);
  }

  // ---- hit testing --------------------------------------------------------------------------

  hitTest(sx: number, sy: number): number {
    if (!this.data) return -1;
    const [x, y] = toWorld(this.cam, sx, sy);
    return this.data.grid.nearest(x, y, HOVER_RADIUS_PX / this.cam.scale);
  }

  /** Points inside a lasso (flat screen coordinates) or a box (two screen corners). */
  pointsIn(lasso: number[] | null, box: [number, number, number, number] | null): number[] {
    if (!this.data) return [];
    if (lasso) {
      const world: number[] = [];
      for (let i = 0; i + 1 < lasso.length; i += 2) world.push(...toWorld(this.cam, lasso[i], lasso[i + 1]));
      return this.data.grid.inPolygon(world);
    }
    if (!box) return [];
    const [ax, ay] = toWorld(this.cam, box[0], box[1]);
    const [bx, by] = toWorld(this.cam, box[2], box[3]);
    return this.data.grid.inRect(ax, ay, bx, by);
  }

  /** Listed neighbours far from their word on screen (the dashed lines of the overlay). */
  farNeighbours(): number[] {
    return farNeighbours(this.xy, this.cam, this.marks.source, this.marks.neighbours);
  }

  /** Where point `i` will be on the page once the camera animation ends (client pixels). */
  clientPoint(i: number): { x: number; y: number } {
    const r = this.canvases.overlay.getBoundingClientRect();
    const cam = { ...(this.camMove?.to ?? this.cam), width: this.cam.width, height: this.cam.height };
    return { x: r.left + toScreenX(cam, this.data!.xy[2 * i]), y: r.top + toScreenY(cam, this.data!.xy[2 * i + 1]) };
  }

  // ---- drawing ------------------------------------------------------------------------------

  resize(): void {
    const { clientWidth: w, clientHeight: h } = this.canvases.plot;
    if (w === 0 || h === 0) return;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.canvases.base, this.canvases.overlay]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    this.cam = resize(this.cam, w, h);
    if (!this.userMoved) this.fit(false);
    this.invalidate(true);
    this.drawNow();
  }

  invalidate(base: boolean): void {
    this.baseDirty ||= base;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.drawNow());
  }

  /** Advance animations; true while one is still running. */
  private step(now: number): boolean {
    let more = false;
    if (this.move) {
      const t = Math.min(1, (now - this.move.start) / this.move.ms);
      if (this.xy.length !== this.move.to.length) this.xy = new Float32Array(this.move.to.length);
      lerpPositions(this.move.from, this.move.to, easeInOut(t), this.xy);
      if (t >= 1) this.move = null;
      more ||= t < 1;
      this.baseDirty = true;
    }
    if (this.camMove) {
      const t = Math.min(1, (now - this.camMove.start) / this.camMove.ms);
      const to = { ...this.camMove.to, width: this.cam.width, height: this.cam.height };
      this.cam = lerpCamera(this.camMove.from, to, easeInOut(t));
      if (t >= 1) this.camMove = null;
      more ||= t < 1;
      if (this.movesImage && t < 1) this.moveImage();
      else this.baseDirty = true;
    }
    return more;
  }

  drawNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.cam.width <= 1 || !this.data) return;
    const more = this.step(performance.now());
    if (this.baseDirty) this.drawBase();
    this.drawMarks();
    if (more) this.invalidate(false);
  }

  /** Repaint the points layer now; returns the time it took in ms. WebGL's first draw (and any
   * with `sync`) waits for the GPU by reading one pixel back, so the time is the real cost that
   * decides whether gestures redraw or move the image; later draws leave the GPU to its work
   * without blocking the page. */
  drawBase(sync = false): number {
    const t0 = performance.now();
    const first = !this.drawn;
    this.drawn = true;
    this.baseDirty = false;
    clearTimeout(this.settleTimer);
    this.drawnCam = { ...this.cam };
    this.canvases.base.style.transform = "";
    if (this.gl && !this.gl.lost) {
      const all = this.data!.words.length;
      const completing = this.firstFrame.points > 0 && this.firstFrame.allAt === 0 && !this.partial;
      const timed = sync || first || completing;
      this.drawGL(timed);
      const ms = performance.now() - t0;
      if (first) {
        const points = this.partial || all;
        Object.assign(this.firstFrame, { drawAt: t0 - this.firstFrame.created, draw: ms, points });
        if (points === all) this.firstFrame.allAt = performance.now() - this.firstFrame.created;
        this.onFirstDraw(points, all);
      }
      if (completing) {
        this.firstFrame.points = all;
        this.firstFrame.allAt = performance.now() - this.firstFrame.created;
        this.onFirstDraw(all, all);
      }
      if (this.partial) requestAnimationFrame(() => this.uploadRest());
      else if (timed) this.lastBaseMs = ms;
      return ms;
    }
    const ctx = this.canvases.base.getContext("2d")!;
    const { width, height } = this.canvases.base;
    if (this.image?.width !== width || this.image?.height !== height) this.image = ctx.createImageData(width, height);
    this.paintPoints(this.image);
    ctx.putImageData(this.image, 0, 0);
    const all = this.data!.words.length;
    if (first) Object.assign(this.firstFrame, { drawAt: t0 - this.firstFrame.created, draw: performance.now() - t0, points: all, allAt: performance.now() - this.firstFrame.created });
    if (first) this.onFirstDraw(all, all);
    return (this.lastBaseMs = performance.now() - t0);
  }

  /** After a first frame of the first `FIRST_POINTS`: hand every point to the GPU and draw them. */
  private uploadRest(): void {
    const data = this.data;
    if (!this.partial || !data || !this.gl) return;
    this.partial = 0;
    this.gl.setPositions(data.xy, data.xy);
    this.gl.setColors(data.codes, data.colors);
    this.gl.setSelection(data.words.length, this.selection);
    this.invalidate(true);
  }

  /** The points' radius in CSS pixels for the current zoom. */
  private radius(): number {
    const zoom = this.cam.scale / (this.baseScale || 1);
    return pointRadius(this.data?.words.length ?? 0, this.cam.width, this.cam.height, zoom);
  }

  private drawGL(sync: boolean): void {
    const gl = this.gl!;
    const t = this.move ? easeInOut(Math.min(1, (performance.now() - this.move.start) / this.move.ms)) : 1;
    gl.draw(this.cam, window.devicePixelRatio || 1, t, {
      radius: this.radius(),
      background: parseColor(this.theme.background) ?? [255, 255, 255],
      ring: this.selection.size <= RING_MAX ? (parseColor(this.theme.text) ?? [0, 0, 0]) : null,
      dim: DIMMED_ALPHA,
    });
    if (sync) gl.finish();
  }

  /** Background, then the points; with a selection, the others are faded and the selected ringed. */
  private paintPoints(raster: Raster): void {
    const data = this.data!;
    const dpr = window.devicePixelRatio || 1;
    fillRaster(raster, parseColor(this.theme.background) ?? [255, 255, 255]);
    const radius = this.radius();
    const style: PointStyle = { radius: Math.round(radius * dpr * 2) / 2 };
    const sel = this.selected;
    const draw = (s: PointStyle, keep?: (i: number) => boolean) =>
      rasterPoints(raster, this.xy, data.codes, data.colors, this.cam, dpr, s, keep);
    if (sel.size === 0) {
      draw(style);
      return;
    }
    draw({ ...style, alpha: DIMMED_ALPHA }, (i) => !sel.has(i));
    if (sel.size > RING_MAX) {
      draw(style, (i) => sel.has(i));
      return;
    }
    const ring = parseColor(this.theme.text) ?? [0, 0, 0];
    draw({ radius: Math.round((radius + 1) * dpr * 2) / 2, ring, ringWidth: 1.5 * dpr }, (i) => sel.has(i));
  }

  private drawMarks(): void {
    const dpr = window.devicePixelRatio || 1;
    const words = this.data!.words;
    const placed = drawOverlay(this.overlayCtx(), words, this.xy, this.cam, this.theme, this.marks, dpr, this.measure);
    this.labels = placed.map((p) => p.id);
    this.drawExtra?.(this.overlayCtx(), this.cam);
  }

  private overlayCtx(): CanvasRenderingContext2D {
    return this.canvases.overlay.getContext("2d")!;
  }
}
