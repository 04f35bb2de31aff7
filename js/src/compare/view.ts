/**
 * One rendered `CompareExplorer`: the explorer's plot renderer showing both runs in one frame,
 * positions interpolated here as the slider moves (0: run a, 1: run b), points coloured by
 * neighbour overlap, the moved-words list (click to focus), and on hover the word's neighbours
 * in both runs side by side, asked of the kernel (or the standalone page's backend).
 */

import type { AnyModel } from "@anywidget/types";
import "./compare.css";
import { decodeFloat32 } from "../backend/codecs";
import { clampInt, debounce, type QueryClient, QueryError, STALE } from "../backend/protocol";
import { setLegend } from "../panel/panel";
import { setText } from "../panel/dom";
import { easeInOut } from "../plot/camera";
import type { GestureHandlers } from "../plot/interaction";
import { type PlotData, readPlotData } from "../plot/plotdata";
import type { PlotRenderer } from "../plot/renderer";
import { readTheme, type Theme } from "../plot/theme";
import { hoverPanZoom, plotHandle, ViewWiring } from "../plot/view-wiring";
import { bothEnds, clampT, morph, sharedSummary, sharedWords, withPositions } from "./morph";
import { buildCompareLayout, type CompareHandlers, type CompareLayout, setMoved, setNames, setNeighbours, SLIDER_STEPS } from "./layout";
import { drawTrails, trails } from "./trail";
import type { BothNeighbours, CompareModelState } from "./types";

const HOVER_DEBOUNCE_MS = 20;
const PLAY_MS = 1600;
const PUSH_T_MS = 150;

type Model = AnyModel<CompareModelState>;

export class CompareView {
  private readonly layout: CompareLayout;
  private readonly plot: PlotRenderer;
  private readonly wiring: ViewWiring<CompareModelState>;
  private readonly hoverSoon: ((word: string, since: number) => void) & { cancel(): void };
  private readonly pushSoon: ((t: number) => void) & { cancel(): void };
  private base: PlotData | null = null;
  private xyA: Float32Array = new Float32Array(0);
  private xyB: Float32Array = new Float32Array(0);
  private t = 0;
  private playing = 0;
  private listed: BothNeighbours | null = null;
  private theme: Theme;

  constructor(
    private readonly model: Model,
    el: HTMLElement,
    private readonly client: QueryClient,
  ) {
    this.wiring = new ViewWiring(model, el);
    this.layout = buildCompareLayout(el, this.handlers());
    this.theme = readTheme(this.layout.root);
    this.plot = this.wiring.renderer(this.layout, this.theme);
    this.plot.drawExtra = (ctx, cam) => drawTrails(ctx, trails(this.trailPoints(), this.xyA, this.xyB, cam), this.theme.hover);
    this.hoverSoon = debounce((word: string, since: number) => void this.showNeighbours(word, "hover", since), HOVER_DEBOUNCE_MS);
    this.pushSoon = debounce((t: number) => this.pushT(t), PUSH_T_MS);
    this.listen();
    this.refreshData();
    this.wiring.exposeHandle(this.layout.root, this.debugHandle());
  }

  dispose(): void {
    cancelAnimationFrame(this.playing);
    this.hoverSoon.cancel();
    this.pushSoon.cancel();
    this.wiring.dispose();
  }

  // ---- wiring -------------------------------------------------------------------------------

  private listen(): void {
    const w = this.wiring;
    w.onDataChange(["_words", "_xy_a", "_xy_b", "_codes", "_palette", "_legend", "_moved", "_names", "_summary"], () => this.refreshData());
    w.on("change:t", () => {
      const t = clampT(this.model.get("t"));
      if (Math.abs(t - this.t) > 1e-6) this.setT(t, false);
    });
    w.on("change:_focus", () => this.focusWord(this.model.get("_focus")?.word ?? ""));
    w.attachPlot(this.layout, this.plot, this.gestures(), (theme) => (this.theme = theme));
  }

  private k(): number {
    return clampInt(this.model.get("k"), 10, 1, this.model.get("max_k"));
  }

  // ---- model → view -------------------------------------------------------------------------

  private refreshData(): void {
    const get = (key: string) => (key === "_xy" ? this.model.get("_xy_a") : this.model.get(key as keyof CompareModelState));
    const base = readPlotData(get as never);
    const xyB = decodeFloat32(this.model.get("_xy_b"));
    if (!base || xyB.length !== base.xy.length) return; // traits mid-update
    this.base = base;
    this.xyA = base.xy;
    this.xyB = xyB;
    this.plot.fitXY = bothEnds(this.xyA, this.xyB);
    this.t = clampT(this.model.get("t"));
    this.layout.slider.value = String(Math.round(this.t * SLIDER_STEPS));
    this.plot.setData(withPositions(base, morph(this.xyA, this.xyB, this.t)), false);
    setNames(this.layout, this.model.get("_names") ?? []);
    setLegend(this.layout.legend, this.model.get("_legend") ?? [], base.palette);
    setMoved(this.layout.moved, this.model.get("_moved") ?? [], this.k(), this.handlers());
    this.refreshStatus();
    this.renderNeighbours();
  }

  private refreshStatus(): void {
    const s = this.model.get("_summary") ?? {};
    this.wiring.setStatus(this.layout.status, [
      `${(this.base?.words.length ?? 0).toLocaleString()} words`,
      typeof s.shared === "number" ? `${s.shared.toLocaleString()} shared` : null,
      typeof s.mean_overlap === "number" ? `mean overlap ${s.mean_overlap.toFixed(2)}` : null,
    ]);
  }

  /** Show the layout at `t`; `push` sends it to the kernel's `t` (debounced while dragging). */
  setT(t: number, push: boolean, done = true): void {
    if (!this.base) return;
    this.t = clampT(t);
    this.layout.slider.value = String(Math.round(this.t * SLIDER_STEPS));
    this.layout.root.dataset.t = this.t.toFixed(3);
    this.plot.setData(withPositions(this.base, morph(this.xyA, this.xyB, this.t)), false);
    this.refreshMarks();
    if (!push) return;
    if (done) {
      this.pushSoon.cancel();
      this.pushT(this.t);
    } else this.pushSoon(this.t);
  }

  private pushT(t: number): void {
    if (Math.abs(clampT(this.model.get("t")) - t) < 1e-6) return;
    this.model.set("t", t);
    this.model.save_changes();
  }

  private play(): void {
    cancelAnimationFrame(this.playing);
    const from = this.t;
    const to = from < 0.5 ? 1 : 0;
    const start = performance.now();
    const tick = (now: number) => {
      const u = Math.min(1, (now - start) / PLAY_MS);
      this.setT(from + (to - from) * easeInOut(u), u >= 1, true);
      this.playing = u < 1 ? requestAnimationFrame(tick) : 0;
    };
    this.playing = requestAnimationFrame(tick);
  }

  /** Words whose path from run a to run b is drawn: hovered, focused, hovered in a list. */
  private trailPoints(): number[] {
    const m = this.plot.marks;
    return [m.hovered, m.focused, m.listHover];
  }

  private pointOf(word: string): number {
    return this.base?.words.pointOf(word) ?? -1;
  }

  private refreshMarks(): void {
    const marks = this.plot.marks;
    const items = [...(this.listed?.a ?? []), ...(this.listed?.b ?? [])];
    marks.neighbours = [...new Set(items.map((it) => this.pointOf(it.word)).filter((i) => i >= 0))];
    marks.source = this.listed ? this.pointOf(this.listed.word) : -1;
    this.plot.invalidate(false);
  }

  private renderNeighbours(): void {
    const res = this.listed;
    const on = this.handlers();
    if (!res) return;
    const withPoints = (items: BothNeighbours["a"]) => items?.map((it) => ({ ...it, point: this.pointOf(it.word) })) ?? null;
    const common = sharedWords(res.a, res.b);
    const names = this.model.get("_names") ?? [];
    setText(this.layout.neighboursTitle, `Nearest to ${res.word} · ${sharedSummary(res.a, res.b)}`);
    setNeighbours(this.layout.listA, withPoints(res.a), common, on, `not in ${names[0] ?? "a"}`);
    setNeighbours(this.layout.listB, withPoints(res.b), common, on, `not in ${names[1] ?? "b"}`);
    this.refreshMarks();
  }

  async showNeighbours(word: string, reason: "hover" | "focus", since = performance.now()): Promise<void> {
    try {
      const res = await this.client.latest<BothNeighbours>("neighbours", "neighbours", { word, k: this.k(), reason });
      if (res === STALE) return;
      this.listed = res;
      this.renderNeighbours();
      this.wiring.emit("w2v:neighbours", { word, reason, ms: performance.now() - since });
    } catch (err) {
      setText(this.layout.neighboursTitle, err instanceof QueryError || err instanceof Error ? err.message : String(err));
    }
  }

  focusWord(word: string): void {
    const i = this.pointOf(word);
    if (i < 0) return;
    this.wiring.focusPoint(this.plot, i, word);
    void this.showNeighbours(word, "focus");
  }

  // ---- gestures and handlers ----------------------------------------------------------------

  private handlers(): CompareHandlers {
    return {
      slide: (t, done) => {
        cancelAnimationFrame(this.playing);
        this.setT(t, true, done);
      },
      play: () => this.play(),
      fit: () => this.plot.fit(true),
      focus: (word) => this.focusWord(word),
      itemHover: (word) => {
        this.plot.marks.listHover = word === null ? -1 : this.pointOf(word);
        this.plot.invalidate(false);
      },
    };
  }

  private gestures(): GestureHandlers {
    const plot = this.plot;
    return {
      ...hoverPanZoom(plot, this.layout.overlay, (word, since) => this.hoverSoon(word, since)),
      mode: () => "pan",
      click: (sx, sy) => {
        const i = plot.hitTest(sx, sy);
        if (i >= 0) this.focusWord(plot.data!.words.at(i)!);
      },
      lasso: () => undefined,
      box: () => undefined,
    };
  }

  // ---- test handle --------------------------------------------------------------------------

  private debugHandle() {
    const plot = this.plot;
    const word = (i: number) => plot.data?.words.at(i) ?? null;
    return {
      ...plotHandle(plot, (w) => this.pointOf(w)),
      /** A word's shown position in data coordinates. */
      position: (w: string) => {
        const i = this.pointOf(w);
        return i < 0 || !plot.data ? null : [plot.data.xy[2 * i], plot.data.xy[2 * i + 1]];
      },
      t: () => this.t,
      busy: () => plot.busy || this.playing !== 0,
      /** Words whose a-to-b trail is drawn. */
      trails: () => this.trailPoints().filter((i) => i >= 0).map(word),
    };
  }
}

export function renderCompare(model: Model, el: HTMLElement, client: QueryClient): () => void {
  const view = new CompareView(model, el, client);
  return () => view.dispose();
}
