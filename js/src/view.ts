/**
 * One rendered explorer: wires the model (traits), the plot renderer, the side panel and the
 * pointer gestures. State lives in the model; this class holds only view state (hover, focus,
 * mode) and turns model changes and gestures into renderer and panel calls.
 */

import type { AnyModel } from "@anywidget/types";
import { setText } from "./panel/dom";
import type { GestureHandlers } from "./plot/interaction";
import { buildFollowBox, renderFollow } from "./panel/follow";
import { buildLayout, type Layout, type PanelHandlers, setCompletions, setLegend, setMode } from "./panel/panel";
import { readPlotData } from "./plot/plotdata";
import { clampInt, type QueryClient } from "./backend/protocol";
import { type SingleFlight, singleFlight } from "./backend/single-flight";
import { replaceLastToken } from "./backend/query";
import type { PlotRenderer } from "./plot/renderer";
import { SidePanel } from "./panel/sidepanel";
import { AnalogyPanel } from "./panel/analogy";
import { analogyGeometry } from "./plot/arrows";
import { readTheme } from "./plot/theme";
import { hoverPanZoom, plotHandle, ViewWiring } from "./plot/view-wiring";
import type { ExplorerModelState, Mode } from "./types";

type Model = AnyModel<ExplorerModelState>;

export class ExplorerView {
  private readonly layout: Layout;
  private readonly plot: PlotRenderer;
  private readonly panel: SidePanel;
  private readonly followBox = buildFollowBox();
  private readonly analogy: AnalogyPanel;
  private readonly wiring: ViewWiring<ExplorerModelState>;
  private readonly hoverSoon: SingleFlight<[string, number]>;
  private pendingFocus: string | null = null;
  private mode: Mode = "pan";

  constructor(
    private readonly model: Model,
    el: HTMLElement,
    private readonly client: QueryClient,
  ) {
    this.wiring = new ViewWiring(model, el);
    this.layout = buildLayout(el, this.panelHandlers());
    this.plot = this.wiring.renderer(this.layout, readTheme(this.layout.root));
    this.panel = new SidePanel(this.layout, client, this.panelHost());
    this.layout.legend.before(this.followBox);
    this.analogy = new AnalogyPanel(client, this.analogyHost(), () => this.model.get("_projection") || "");
    this.layout.error.after(this.analogy.el);
    this.hoverSoon = singleFlight((word: string, since: number) => this.panel.showNeighbours(word, "hover", since));
    setMode(this.layout, this.mode);
    this.listen();
    this.refreshData();
    this.refreshStatus();
    this.showAnalogy();
    this.refreshFollow();
    this.wiring.exposeHandle(this.layout.root, this.debugHandle(client));
  }

  dispose(): void {
    this.hoverSoon.cancel();
    this.panel.dispose();
    this.wiring.dispose();
  }

  // ---- wiring -------------------------------------------------------------------------------

  private listen(): void {
    const w = this.wiring;
    w.onDataChange(["_words", "_xy", "_codes", "_palette"], () => this.refreshData());
    w.on("change:selected", () => this.refreshSelection());
    w.on("change:pinned", () => this.refreshMarks());
    w.on("change:_legend", () => this.refreshLegend());
    w.on("change:_follow", () => this.refreshFollow());
    w.on("change:_focus", () => this.focusWord(this.model.get("_focus")?.word ?? ""));
    w.on("change:_analogy", () => this.showAnalogy());
    w.onChange(["_progress", "_message", "_projection"], () => this.refreshStatus());
    w.attachPlot(this.layout, this.plot, this.gestureHandlers());
  }

  // ---- model → view -------------------------------------------------------------------------

  private refreshData(): void {
    const next = readPlotData((k) => this.model.get(k));
    if (!next) return; // traits mid-update: wait for the rest
    this.plot.setData(next);
    this.refreshSelection();
    this.refreshLegend();
    this.refreshStatus();
    this.panel.render();
    this.analogy.relocate();
    if (this.pendingFocus && next.words.has(this.pendingFocus)) this.focusWord(this.pendingFocus);
    // the words' lookup table and the hit-testing grid, once the first frame is on screen
    requestAnimationFrame(() => setTimeout(() => void (next.words.has("") || next.grid), 0));
  }

  private pointsOf(words: string[]): number[] {
    if (words.length === 0 || !this.plot.data) return [];
    const plotted = this.plot.data.words;
    return words.map((w) => plotted.pointOf(w)).filter((i) => i >= 0);
  }

  private refreshSelection(): void {
    this.plot.selected = new Set(this.pointsOf(this.model.get("selected") ?? []));
    const n = this.plot.selected.size;
    setText(this.layout.selection, n ? `${n} selected` : "");
    this.plot.invalidate(true);
  }

  private refreshMarks(): void {
    const listed = this.panel.listedWords();
    this.plot.marks.pinned = this.pointsOf(this.model.get("pinned") ?? []);
    this.plot.marks.neighbours = this.pointsOf(listed.neighbours);
    this.plot.marks.source = listed.source === null ? -1 : (this.pointsOf([listed.source])[0] ?? -1);
    this.plot.marks.results = this.pointsOf(listed.results);
    this.plot.marks.analogy = this.analogy?.marks() ?? null;
    this.plot.invalidate(false);
  }

  private refreshLegend(): void {
    setLegend(this.layout.legend, this.model.get("_legend") ?? [], this.plot.data?.palette ?? []);
  }

  private refreshStatus(): void {
    const progress = this.model.get("_progress") ?? {};
    const message = this.model.get("_message") ?? {};
    const n = this.plot.data?.words.length ?? 0;
    const transient = [progress.active ? progress.label : null, message.text];
    this.wiring.setStatus(this.layout.status, [`${n.toLocaleString()} words`, this.model.get("_projection")], transient);
    this.layout.status.dataset.level = message.text ? (message.level ?? "info") : "";
    this.layout.progress.hidden = !progress.active;
    const fraction = progress.active && typeof progress.fraction === "number" ? Math.min(1, Math.max(0, progress.fraction)) : null;
    this.layout.progress.classList.toggle("w2v-determinate", fraction !== null);
    this.layout.progressBar.style.width = fraction !== null ? `${(100 * fraction).toFixed(1)}%` : "";
    if (fraction !== null) this.layout.progress.setAttribute("aria-valuenow", String(Math.round(100 * fraction)));
    else this.layout.progress.removeAttribute("aria-valuenow");
    this.layout.cancel.hidden = !(progress.active && progress.cancellable && !this.model.get("_standalone"));
  }

  private refreshFollow(): void {
    renderFollow(this.followBox, this.model.get("_follow"), (word) => this.focusWord(word));
  }

  // ---- actions ------------------------------------------------------------------------------

  /** Centre on a plotted word, mark it and list its neighbours; waits if it is not plotted yet. */
  focusWord(word: string): void {
    const i = this.plot.data?.words.pointOf(word) ?? -1;
    if (i < 0) {
      this.pendingFocus = word || null;
      return;
    }
    this.pendingFocus = null;
    this.wiring.focusPoint(this.plot, i, word);
    void this.panel.showNeighbours(word, "focus");
  }

  /** Show the analogy set from Python (`ex.show_analogy`), if any. */
  private showAnalogy(): void {
    const q = this.model.get("_analogy");
    if (q && typeof q.a === "string" && typeof q.b === "string" && typeof q.c === "string") {
      void this.analogy.show({ a: q.a, b: q.b, c: q.c, k: q.k, exclude: q.exclude });
    }
  }

  private analogyHost() {
    return {
      data: () => this.plot.data,
      k: () => clampInt(this.model.get("k"), 10, 1, this.model.get("max_k")),
      handlers: () => this.panelHandlers(),
      add: (word: string) => this.client.request("add", { word }),
      changed: () => this.refreshMarks(),
      fitPoints: (points: number[], extra: number[]) => this.plot.fitPoints(points, extra),
      showError: (err: unknown) => this.panel.showError(err),
      emit: (name: string, detail: unknown) => this.wiring.emit(name, detail),
    };
  }

  private setModelList(key: "selected" | "pinned", words: string[]): void {
    this.model.set(key, words);
    this.model.save_changes();
  }

  private togglePin(i: number): void {
    const word = this.plot.data!.words.at(i)!;
    const pinned = this.model.get("pinned") ?? [];
    const next = pinned.includes(word) ? pinned.filter((w) => w !== word) : [...pinned, word];
    this.setModelList("pinned", next);
    if (next.includes(word)) void this.panel.showNeighbours(word, "pin");
  }

  private selectPoints(points: number[]): void {
    const words = this.plot.data?.words;
    this.setModelList("selected", words ? points.map((i) => words.at(i)!) : []);
  }

  private panelHost() {
    return {
      data: () => this.plot.data,
      k: () => clampInt(this.model.get("k"), 10, 1, this.model.get("max_k")),
      focus: (word: string) => this.focusWord(word),
      fitPoints: (points: number[]) => this.plot.fitPoints(points),
      listsChanged: () => this.refreshMarks(),
      emit: (name: string, detail: unknown) => this.wiring.emit(name, detail),
      handlers: () => this.panelHandlers(),
      analogy: (q: { a: string; b: string; c: string } | null) => (q ? void this.analogy.show(q) : this.analogy.clear()),
    };
  }

  private panelHandlers(): PanelHandlers {
    return {
      search: (text) => void this.panel.search(text),
      typing: (text) => this.panel.completeSoon(text),
      pick: (word) => {
        const input = this.layout.input;
        input.value = replaceLastToken(input.value, word);
        setCompletions(this.layout.completions, [], this.panelHandlers());
        if (!/\s/.test(input.value.trim())) void this.panel.search(input.value);
        else input.focus();
      },
      itemClick: (item) => this.focusWord(item.word),
      itemHover: (point) => {
        this.plot.marks.listHover = point;
        this.plot.invalidate(false);
      },
      add: (word) => void this.panel.add(word),
      mode: (mode) => {
        this.mode = mode;
        setMode(this.layout, mode);
      },
      fit: () => this.plot.fit(true),
      clearSelection: () => this.setModelList("selected", []),
      cancelLayout: () => void this.client.request("cancel_layout").catch(() => undefined),
    };
  }

  private gestureHandlers(): GestureHandlers {
    const plot = this.plot;
    return {
      ...hoverPanZoom(plot, this.layout.overlay, (word, since) => this.hoverSoon(word, since)),
      mode: () => this.mode,
      click: (sx, sy) => {
        const i = plot.hitTest(sx, sy);
        if (i >= 0) this.togglePin(i);
      },
      lasso: (points, done) => {
        plot.marks.lasso = done ? null : points;
        if (done) this.selectPoints(plot.pointsIn(points, null));
        plot.invalidate(false);
      },
      box: (box, done) => {
        plot.marks.box = done ? null : box;
        if (done) this.selectPoints(plot.pointsIn(null, box));
        plot.invalidate(false);
      },
    };
  }

  // ---- test and benchmark handle --------------------------------------------------------------

  private debugHandle(client: QueryClient) {
    const plot = this.plot;
    const layout = this.layout;
    /** Frames per second while `step` moves the camera on every animation frame for `ms`. */
    const gestureFps = (ms: number, step: (frame: number) => void) =>
      new Promise<number>((resolve) => {
        let frames = 0;
        const t0 = performance.now();
        const tick = (now: number) => {
          step(frames);
          plot.drawNow();
          frames++;
          if (now - t0 < ms) requestAnimationFrame(tick);
          else resolve((frames * 1000) / (performance.now() - t0));
        };
        requestAnimationFrame(tick);
      });
    const word = (i: number) => plot.data?.words.at(i) ?? null;
    return {
      ...plotHandle(plot, (w) => plot.data?.words.pointOf(w) ?? -1),
      /** The analogy shown: its lists (as toggled), placement, and its arrows in client pixels. */
      analogy: () => {
        const marks = this.analogy.marks();
        if (!marks || !plot.data) return null;
        const r = layout.overlay.getBoundingClientRect();
        const g = analogyGeometry(plot.data.xy, plot.camera, marks);
        const shift = (s: number[] | null) => (s ? s.map((v, i) => v + (i % 2 ? r.top : r.left)) : null);
        return {
          result: this.analogy.result,
          exclude: this.analogy.exclude,
          lists: Object.fromEntries(Object.entries(this.analogy.shownLists()).map(([m, items]) => [m, items.map((it) => it.word)])),
          offset: shift(g.offset),
          copy: shift(g.copy),
          target: shift(g.target),
          labels: plot.labels.map(word),
        };
      },
      /** Listed neighbours the map puts far from their word (drawn as dashed lines). */
      farNeighbours: () => plot.farNeighbours().map(word),
      selectedCount: () => plot.selected.size,
      camera: () => plot.camera,
      busy: () => plot.busy,
      /** Where the first frame's time went (ms): see PlotRenderer.firstFrame. */
      firstFrame: () => ({ ...plot.firstFrame }),
      /** Round trip of a no-op query (the benchmark's baseline). */
      ping: async () => {
        const t0 = performance.now();
        await client.request("ping");
        return performance.now() - t0;
      },
      /** Time one full redraw of the points layer (waiting for the GPU), in ms. */
      drawBaseMs: () => plot.drawBase(true),
      /** Frames per second while panning continuously for `ms`: a pan step on every animation
       * frame, drawn as a drag is (the points redrawn, or their image moved when redraws are slow). */
      panFps: (ms = 2000) => gestureFps(ms, (frame) => plot.pan(frame % 40 < 20 ? 3 : -3, 1)),
      /** Frames per second while zooming in and out about the centre for `ms`: a wheel step on
       * every animation frame, drawn as a wheel zoom is. */
      zoomFps: (ms = 2000) =>
        gestureFps(ms, (frame) => {
          const r = layout.plot.getBoundingClientRect();
          plot.zoom(r.width / 2, r.height / 2, frame % 40 < 20 ? 1.03 : 1 / 1.03);
        }),
      /** Average ms of a full redraw while zooming in and out `n` times (synchronous). */
      zoomDrawMs: (n = 20) => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          const r = layout.plot.getBoundingClientRect();
          plot.zoom(r.width / 2, r.height / 2, i % 2 ? 1 / 1.2 : 1.2);
          plot.drawBase(true);
        }
        return (performance.now() - t0) / n;
      },
    };
  }
}
