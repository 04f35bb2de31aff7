/**
 * One rendered explorer: wires the model, the query client, the canvases, the gestures and the
 * side panel together. State lives in the model (traits); this class holds only view state
 * (camera, hover, lists shown) and redraws on animation frames.
 */

import {
  type Camera,
  boundsOf,
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
import { setText } from "./dom";
import { attachGestures } from "./interaction";
import { drawOverlay, emptyMarks, labelMeasurer, type Marks } from "./overlay";
import {
  buildLayout,
  type Layout,
  type PanelHandlers,
  setCompletions,
  setError,
  setLegend,
  setList,
  setMode,
  setTitle,
} from "./panel";
import { lerpPositions, type PlotData, readPlotData, startPositions } from "./plotdata";
import { debounce, QueryClient, QueryError, STALE } from "./protocol";
import { lastToken, ParseError, parseQuery, replaceLastToken } from "./query";
import { fillRaster, type Raster, rasterPoints } from "./scatter";
import { parseColor, readTheme, type Theme, watchTheme } from "./theme";
import type {
  AddResult,
  CompleteResult,
  ExplorerModelState,
  Mode,
  Neighbour,
  NeighbourResult,
  SearchResult,
} from "./types";
import type { AnyModel } from "@anywidget/types";

const POINT_RADIUS = 2.5;
const HOVER_RADIUS_PX = 8;
const HOVER_DEBOUNCE_MS = 20;
const MOVE_MS = 800;
const CAMERA_MS = 450;

type Model = AnyModel<ExplorerModelState>;
type Anim<T> = { from: T; to: T; start: number; ms: number };

export class ExplorerView {
  private readonly layout: Layout;
  private readonly disposers: (() => void)[] = [];
  private theme: Theme;
  private data: PlotData | null = null;
  private xy = new Float32Array(0);
  private move: Anim<Float32Array> | null = null;
  private cam: Camera = { cx: 0, cy: 0, scale: 1, width: 1, height: 1 };
  private camMove: Anim<Camera> | null = null;
  private baseScale = 1;
  private userMoved = false;
  private marks: Marks = emptyMarks();
  private selected = new Set<number>();
  private neighbourList: NeighbourResult | null = null;
  private resultList: { title: string; items: Neighbour[]; unplotted?: string } | null = null;
  private pendingFocus: string | null = null;
  private mode: Mode = "pan";
  private frame = 0;
  private baseDirty = true;
  private hoverTime = 0;
  private readonly started = performance.now();
  private firstDrawn = false;
  private measure: (text: string) => number;
  private readonly requestHover: ((word: string) => void) & { cancel(): void };
  private readonly requestComplete: ((text: string) => void) & { cancel(): void };

  constructor(
    private readonly model: Model,
    private readonly el: HTMLElement,
    private readonly client: QueryClient,
  ) {
    this.layout = buildLayout(el, this.panelHandlers());
    this.theme = readTheme(this.layout.root);
    this.measure = labelMeasurer(this.overlayCtx(), this.theme);
    this.requestHover = debounce((word: string) => this.showNeighbours(word, "hover"), HOVER_DEBOUNCE_MS);
    this.requestComplete = debounce((text: string) => this.complete(text), 60);
    setMode(this.layout, this.mode);
    this.listen();
    this.applySettings();
    this.refreshData();
    this.refreshStatus();
    (this.layout.root as unknown as { __w2v: unknown }).__w2v = this.debugHandle();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.requestHover.cancel();
    this.requestComplete.cancel();
    for (const d of this.disposers.splice(0)) d();
    this.layout.root.remove();
  }

  // ---- wiring -------------------------------------------------------------------------------

  private on(event: string, cb: () => void): void {
    this.model.on(event, cb);
    this.disposers.push(() => this.model.off(event as never, cb));
  }

  private listen(): void {
    let queued = false;
    const dataChanged = () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        this.refreshData();
      });
    };
    for (const key of ["_words", "_xy", "_codes", "_palette"]) this.on(`change:${key}`, dataChanged);
    this.on("change:selected", () => this.refreshSelection());
    this.on("change:pinned", () => this.refreshMarks());
    this.on("change:_legend", () => this.refreshLegend());
    this.on("change:_focus", () => this.focusWord(this.model.get("_focus")?.word ?? ""));
    for (const key of ["_progress", "_message", "_projection"]) this.on(`change:${key}`, () => this.refreshStatus());
    for (const key of ["top_labels", "height"]) this.on(`change:${key}`, () => this.applySettings());
    this.disposers.push(attachGestures(this.layout.overlay, this.gestureHandlers()));
    this.disposers.push(watchTheme(() => this.refreshTheme()));
    const ro = new ResizeObserver(() => this.resize());
    ro.observe(this.layout.plot);
    this.disposers.push(() => ro.disconnect());
  }

  private applySettings(): void {
    this.layout.root.style.height = `${Math.max(240, this.model.get("height") || 520)}px`;
    this.marks.topLabels = Math.max(0, this.model.get("top_labels") ?? 0);
    this.invalidate(false);
  }

  // ---- model → view -------------------------------------------------------------------------

  private refreshData(): void {
    const next = readPlotData((k) => this.model.get(k));
    if (!next) return;
    const old = this.data;
    this.data = next;
    if (old && old.words.length > 0 && this.xy.length > 0) {
      const from = startPositions(old, next, this.xy);
      this.move = { from, to: next.xy, start: performance.now(), ms: MOVE_MS };
      this.xy = from.slice();
    } else {
      this.xy = next.xy.slice();
    }
    if (!this.userMoved) this.fit(false);
    this.refreshSelection();
    this.refreshLegend();
    this.refreshStatus();
    this.renderLists();
    if (this.pendingFocus && next.index.has(this.pendingFocus)) this.focusWord(this.pendingFocus);
    this.invalidate(true);
  }

  private refreshSelection(): void {
    const index = this.data?.index;
    this.selected = new Set((this.model.get("selected") ?? []).map((w) => index?.get(w) ?? -1).filter((i) => i >= 0));
    setText(this.layout.selection, this.selected.size ? `${this.selected.size} selected` : "");
    this.invalidate(true);
  }

  private pointsOf(words: string[]): number[] {
    const index = this.data?.index;
    return index ? words.map((w) => index.get(w) ?? -1).filter((i) => i >= 0) : [];
  }

  private refreshMarks(): void {
    this.marks.pinned = this.pointsOf(this.model.get("pinned") ?? []);
    this.marks.neighbours = this.pointsOf(this.neighbourList?.items.map((it) => it.word) ?? []);
    this.marks.results = this.pointsOf(this.resultList?.items.map((it) => it.word) ?? []);
    this.invalidate(false);
  }

  private refreshLegend(): void {
    setLegend(this.layout.legend, this.model.get("_legend") ?? [], this.data?.palette ?? []);
  }

  private refreshStatus(): void {
    const progress = this.model.get("_progress") ?? {};
    const message = this.model.get("_message") ?? {};
    const n = this.data?.words.length ?? 0;
    const parts = [`${n.toLocaleString()} words`, this.model.get("_projection") || ""];
    if (this.model.get("_standalone")) parts.push("standalone page");
    if (progress.active && progress.label) parts.push(progress.label);
    if (message.text) parts.push(message.text);
    setText(this.layout.status, parts.filter(Boolean).join(" · "));
    this.layout.status.dataset.level = message.text ? message.level ?? "info" : "";
    this.layout.progress.hidden = !progress.active;
  }

  private refreshTheme(): void {
    this.theme = readTheme(this.layout.root);
    this.measure = labelMeasurer(this.overlayCtx(), this.theme);
    this.invalidate(true);
  }

  // ---- panel lists --------------------------------------------------------------------------

  /** Re-derive `point` from the current plot (words may have been added since the reply). */
  private withPoints(items: Neighbour[]): Neighbour[] {
    const index = this.data?.index;
    return items.map((it) => ({ ...it, point: index?.get(it.word) ?? -1 }));
  }

  private renderLists(): void {
    const handlers = this.panelHandlers();
    const rl = this.resultList;
    const stillUnplotted = rl?.unplotted !== undefined && !this.data?.index.has(rl.unplotted);
    setTitle(this.layout.resultsTitle, rl ? (stillUnplotted ? `${rl.title} (not plotted)` : rl.title) : null);
    setList(this.layout.results, this.withPoints(this.resultList?.items ?? []), handlers);
    if (this.neighbourList) setTitle(this.layout.neighboursTitle, `Nearest to ${this.neighbourList.word}`);
    setList(this.layout.neighbours, this.withPoints(this.neighbourList?.items ?? []), handlers);
    this.refreshMarks();
  }

  private async showNeighbours(word: string, reason: "hover" | "pin" | "focus"): Promise<void> {
    const t0 = reason === "hover" ? this.hoverTime : performance.now();
    try {
      const res = await this.client.latest<NeighbourResult>("neighbours", "neighbours", { word, k: this.k(), reason });
      if (res === STALE) return;
      this.neighbourList = res;
      this.renderLists();
      const ms = performance.now() - t0;
      this.el.dispatchEvent(new CustomEvent("w2v:neighbours", { detail: { word, reason, ms }, bubbles: true }));
    } catch (err) {
      this.showError(err);
    }
  }

  private k(): number {
    return Math.max(1, Math.min(200, this.model.get("k") || 10));
  }

  private showError(err: unknown): void {
    const suggestions = err instanceof QueryError ? err.suggestions : [];
    setError(this.layout.error, err instanceof Error ? err.message : String(err), suggestions, this.panelHandlers());
  }

  private async search(text: string): Promise<void> {
    setError(this.layout.error, "", [], this.panelHandlers());
    setCompletions(this.layout.completions, [], this.panelHandlers());
    this.requestComplete.cancel();
    this.client.cancel("complete");
    let query;
    try {
      query = parseQuery(text);
    } catch (err) {
      if (err instanceof ParseError) return this.showError(err);
      throw err;
    }
    try {
      const res = await this.client.latest<SearchResult>("search", "search", { ...query, k: this.k() });
      if (res === STALE) return;
      this.showSearch(res);
    } catch (err) {
      this.showError(err);
    }
  }

  /** A plotted word is focused (its neighbours listed below); analogies and unplotted words are
   * listed as results, with "+ plot" buttons for words not on the map. */
  private showSearch(res: SearchResult): void {
    const single = res.positive.length === 1 && res.negative.length === 0;
    const word = res.positive[0];
    if (single && this.data?.index.has(word)) {
      this.resultList = null;
      this.renderLists();
      this.focusWord(word);
    } else if (single) {
      this.resultList = { title: word, items: [{ word, score: 1, point: -1 }, ...res.items], unplotted: word };
      this.renderLists();
    } else {
      const title = [res.positive.join(" + "), ...res.negative.map((w) => `− ${w}`)].join(" ");
      this.resultList = { title, items: res.items };
      this.renderLists();
      this.fitPoints(this.marks.results);
    }
    this.el.dispatchEvent(new CustomEvent("w2v:search", { detail: res, bubbles: true }));
  }

  private async complete(text: string): Promise<void> {
    const prefix = lastToken(text);
    if (!prefix) return setCompletions(this.layout.completions, [], this.panelHandlers());
    try {
      const res = await this.client.latest<CompleteResult>("complete", "complete", { prefix, limit: 8 });
      if (res === STALE) return;
      setCompletions(this.layout.completions, res.words, this.panelHandlers());
    } catch (err) {
      this.showError(err);
    }
  }

  private async addWord(word: string): Promise<void> {
    try {
      const res = await this.client.request<AddResult>("add", { word });
      this.pendingFocus = res.word;
      if (this.data?.index.has(res.word)) this.focusWord(res.word);
      setError(this.layout.error, "", [], this.panelHandlers());
    } catch (err) {
      this.showError(err);
    }
  }

  private panelHandlers(): PanelHandlers {
    return {
      search: (text) => void this.search(text),
      typing: (text) => this.requestComplete(text),
      pick: (word) => {
        const input = this.layout.input;
        input.value = replaceLastToken(input.value, word);
        setCompletions(this.layout.completions, [], this.panelHandlers());
        if (!/\s/.test(input.value.trim())) void this.search(input.value);
        else input.focus();
      },
      itemClick: (item) => {
        if (this.data?.index.has(item.word)) this.focusWord(item.word);
      },
      itemHover: (point) => {
        this.marks.listHover = point;
        this.invalidate(false);
      },
      add: (word) => void this.addWord(word),
      mode: (mode) => {
        this.mode = mode;
        setMode(this.layout, mode);
      },
      fit: () => this.fit(true),
      clearSelection: () => this.setSelected([]),
    };
  }

  // ---- view actions -------------------------------------------------------------------------

  /** Centre on a plotted word, mark it and list its neighbours; waits for the word if not plotted yet. */
  focusWord(word: string): void {
    const i = this.data?.index.get(word);
    if (i === undefined) {
      this.pendingFocus = word || null;
      return;
    }
    this.pendingFocus = null;
    this.marks.focused = i;
    const target = centreOn(this.cam, this.data!.xy[2 * i], this.data!.xy[2 * i + 1], Math.max(this.cam.scale, this.baseScale * 3));
    this.animateCamera(target);
    void this.showNeighbours(word, "focus");
    this.el.dispatchEvent(new CustomEvent("w2v:focus", { detail: { word }, bubbles: true }));
  }

  private fitPoints(points: number[]): void {
    if (!this.data || points.length === 0) return;
    const xy = new Float32Array(points.flatMap((i) => [this.data!.xy[2 * i], this.data!.xy[2 * i + 1]]));
    const target = fitBounds(boundsOf(xy), this.cam.width, this.cam.height, 60);
    target.scale = Math.min(target.scale, this.baseScale * 20);
    this.animateCamera(target);
  }

  private fit(animate: boolean): void {
    const target = fitBounds(boundsOf(this.data?.xy ?? new Float32Array(0)), this.cam.width, this.cam.height);
    this.baseScale = target.scale;
    if (animate) {
      this.userMoved = false;
      this.animateCamera(target);
    } else this.cam = target;
    this.invalidate(true);
  }

  private animateCamera(target: Camera): void {
    this.userMoved = true;
    this.camMove = { from: this.cam, to: target, start: performance.now(), ms: CAMERA_MS };
    this.invalidate(true);
  }

  private setSelected(words: string[]): void {
    this.model.set("selected", words);
    this.model.save_changes();
  }

  private togglePin(i: number): void {
    if (!this.data) return;
    const word = this.data.words[i];
    const pinned = this.model.get("pinned") ?? [];
    const next = pinned.includes(word) ? pinned.filter((w) => w !== word) : [...pinned, word];
    this.model.set("pinned", next);
    this.model.save_changes();
    if (next.includes(word)) void this.showNeighbours(word, "pin");
  }

  private hitTest(sx: number, sy: number): number {
    if (!this.data) return -1;
    const [x, y] = toWorld(this.cam, sx, sy);
    return this.data.grid.nearest(x, y, HOVER_RADIUS_PX / this.cam.scale);
  }

  private selectIn(screenPoly: number[] | null, box: [number, number, number, number] | null): void {
    if (!this.data) return;
    let points: number[] = [];
    if (screenPoly) {
      const world: number[] = [];
      for (let i = 0; i + 1 < screenPoly.length; i += 2) world.push(...toWorld(this.cam, screenPoly[i], screenPoly[i + 1]));
      points = this.data.grid.inPolygon(world);
    } else if (box) {
      const [ax, ay] = toWorld(this.cam, box[0], box[1]);
      const [bx, by] = toWorld(this.cam, box[2], box[3]);
      points = this.data.grid.inRect(ax, ay, bx, by);
    }
    this.setSelected(points.map((i) => this.data!.words[i]));
  }

  private gestureHandlers() {
    return {
      mode: () => this.mode,
      hover: (sx: number, sy: number, time: number) => {
        const i = this.hitTest(sx, sy);
        if (i === this.marks.hovered) return;
        this.marks.hovered = i;
        this.layout.overlay.style.cursor = i >= 0 ? "pointer" : "";
        this.invalidate(false);
        if (i >= 0 && this.data) {
          this.hoverTime = time || performance.now();
          this.requestHover(this.data.words[i]);
        }
      },
      leave: () => {
        this.marks.hovered = -1;
        this.invalidate(false);
      },
      click: (sx: number, sy: number) => {
        const i = this.hitTest(sx, sy);
        if (i >= 0) this.togglePin(i);
      },
      pan: (dx: number, dy: number) => {
        this.camMove = null;
        this.userMoved = true;
        this.cam = panBy(this.cam, dx, dy);
        this.invalidate(true);
      },
      zoom: (sx: number, sy: number, factor: number) => {
        this.camMove = null;
        this.userMoved = true;
        this.cam = zoomAt(this.cam, sx, sy, factor, this.baseScale);
        this.invalidate(true);
      },
      lasso: (points: number[] | null, done: boolean) => {
        this.marks.lasso = done ? null : points;
        if (done) this.selectIn(points, null);
        this.invalidate(false);
      },
      box: (box: [number, number, number, number] | null, done: boolean) => {
        this.marks.box = done ? null : box;
        if (done) this.selectIn(null, box);
        this.invalidate(false);
      },
    };
  }

  // ---- drawing ------------------------------------------------------------------------------

  private overlayCtx(): CanvasRenderingContext2D {
    return this.layout.overlay.getContext("2d")!;
  }

  private resize(): void {
    const { clientWidth: w, clientHeight: h } = this.layout.plot;
    if (w === 0 || h === 0) return;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.layout.base, this.layout.overlay]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    this.cam = resize(this.cam, w, h);
    if (!this.userMoved) this.fit(false);
    this.invalidate(true);
    this.drawNow();
  }

  private invalidate(base: boolean): void {
    this.baseDirty ||= base;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.drawNow());
  }

  private step(now: number): boolean {
    let more = false;
    if (this.move && this.data) {
      const t = Math.min(1, (now - this.move.start) / this.move.ms);
      if (this.xy.length !== this.move.to.length) this.xy = new Float32Array(this.move.to.length);
      lerpPositions(this.move.from, this.move.to, easeInOut(t), this.xy);
      if (t >= 1) this.move = null;
      else more = true;
      this.baseDirty = true;
    }
    if (this.camMove) {
      const t = Math.min(1, (now - this.camMove.start) / this.camMove.ms);
      this.cam = lerpCamera(this.camMove.from, { ...this.camMove.to, width: this.cam.width, height: this.cam.height }, easeInOut(t));
      if (t >= 1) this.camMove = null;
      else more = true;
      this.baseDirty = true;
    }
    return more;
  }

  private drawNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.cam.width <= 1 || !this.data) return;
    const more = this.step(performance.now());
    if (this.baseDirty) this.drawBase();
    this.drawMarks();
    if (more) this.invalidate(false);
  }

  private drawBase(): void {
    this.baseDirty = false;
    const ctx = this.layout.base.getContext("2d")!;
    const { width, height } = this.layout.base;
    if (this.image?.width !== width || this.image?.height !== height) this.image = ctx.createImageData(width, height);
    this.paintPoints(this.image);
    ctx.putImageData(this.image, 0, 0);
    if (!this.firstDrawn) this.reportFirstRender();
  }

  /** Background, then the points; with a selection, the others are faded and the selected ringed. */
  private paintPoints(raster: Raster): void {
    const data = this.data!;
    const dpr = window.devicePixelRatio || 1;
    fillRaster(raster, parseColor(this.theme.background) ?? [255, 255, 255]);
    const style = { radius: POINT_RADIUS * dpr };
    const sel = this.selected;
    if (sel.size === 0) {
      rasterPoints(raster, this.xy, data.codes, data.colors, this.cam, dpr, style);
      return;
    }
    rasterPoints(raster, this.xy, data.codes, data.colors, this.cam, dpr, { ...style, alpha: 0.18 }, (i) => !sel.has(i));
    const ring = parseColor(this.theme.text) ?? [0, 0, 0];
    const selStyle = { radius: (POINT_RADIUS + 1) * dpr, ring, ringWidth: 1.5 * dpr };
    rasterPoints(raster, this.xy, data.codes, data.colors, this.cam, dpr, selStyle, (i) => sel.has(i));
  }

  private reportFirstRender(): void {
    this.firstDrawn = true;
    const ms = performance.now() - this.started;
    this.layout.root.dataset.firstRenderMs = ms.toFixed(1);
    const detail = { ms, points: this.data!.words.length };
    this.el.dispatchEvent(new CustomEvent("w2v:rendered", { detail, bubbles: true }));
  }

  private drawMarks(): void {
    const dpr = window.devicePixelRatio || 1;
    const placed = drawOverlay(this.overlayCtx(), this.data!.words, this.xy, this.cam, this.theme, this.marks, dpr, this.measure);
    this.lastLabels = placed.map((p) => p.id);
  }

  private lastLabels: number[] = [];
  private image: ImageData | null = null;

  // ---- test and benchmark handle --------------------------------------------------------------

  private debugHandle() {
    return {
      /** Client coordinates of a plotted word's point (after animations), or null. */
      clientPoint: (word: string) => {
        const i = this.data?.index.get(word);
        if (i === undefined) return null;
        const target = this.camMove?.to ?? this.cam;
        const r = this.layout.overlay.getBoundingClientRect();
        const cam = { ...target, width: this.cam.width, height: this.cam.height };
        return { x: r.left + toScreenX(cam, this.data!.xy[2 * i]), y: r.top + toScreenY(cam, this.data!.xy[2 * i + 1]) };
      },
      labels: () => this.lastLabels.map((i) => this.data?.words[i]),
      hovered: () => (this.marks.hovered >= 0 ? this.data?.words[this.marks.hovered] : null),
      focused: () => (this.marks.focused >= 0 ? this.data?.words[this.marks.focused] : null),
      selectedCount: () => this.selected.size,
      camera: () => ({ ...this.cam }),
      busy: () => Boolean(this.move || this.camMove),
      select: (words: string[]) => this.setSelected(words),
      selectBox: (box: [number, number, number, number]) => this.selectIn(null, box),
      selectLasso: (poly: number[]) => this.selectIn(poly, null),
      /** Round trip of a no-op query (the benchmark's baseline). */
      ping: async () => {
        const t0 = performance.now();
        await this.client.request("ping");
        return performance.now() - t0;
      },
      /** Time one full redraw of the points layer, in ms. */
      drawBaseMs: () => {
        const t0 = performance.now();
        this.drawBase();
        return performance.now() - t0;
      },
    };
  }
}
