/**
 * The wiring both plot views (the explorer and the compare view) share: model listeners that
 * come off at dispose, trait changes folded into one data refresh, the plot's gestures, theme
 * and size hooked to the renderer, the `height` / `top_labels` settings, the hover / pan / zoom
 * pointer handlers, the view's events (`w2v:rendered` and the others) sent from its element,
 * focusing a point, the status line, and the debug handle (`__w2v`) tests and benchmarks read.
 */

import type { AnyModel } from "@anywidget/types";
import { setText } from "../panel/dom";
import { attachGestures, type GestureHandlers } from "./interaction";
import { type Canvases, PlotRenderer } from "./renderer";
import { readTheme, type Theme, watchTheme } from "./theme";

/** The traits every plot view has. */
export interface PlotSettings {
  top_labels: number;
  height: number;
  /** Set on the standalone page (no kernel). */
  _standalone?: boolean;
}

/** The part of the debug handle (`__w2v` on the view's root) both views have: the plot's words
 * by point, labels, hovered and focused words, a word's point in client pixels, the backend. */
export function plotHandle(plot: PlotRenderer, pointOf: (word: string) => number) {
  const word = (i: number) => plot.data?.words.at(i) ?? null;
  return {
    /** Client coordinates of a plotted word's point (after animations), or null. */
    clientPoint: (w: string) => {
      const i = pointOf(w);
      return i < 0 ? null : plot.clientPoint(i);
    },
    labels: () => plot.labels.map(word),
    hovered: () => word(plot.marks.hovered),
    focused: () => word(plot.marks.focused),
    /** "webgl" or "canvas". */
    renderer: () => plot.backend,
  };
}

/** The parts of a view's layout the wiring touches. */
export interface PlotElements {
  root: HTMLElement;
  plot: HTMLElement;
  overlay: HTMLElement;
}

export class ViewWiring<T extends PlotSettings> {
  private readonly disposers: (() => void)[] = [];
  private readonly started = performance.now();
  private attached: { layout: PlotElements; plot: PlotRenderer } | null = null;

  constructor(
    private readonly model: AnyModel<T>,
    private readonly el: HTMLElement,
  ) {}

  /** Call `cb` on the model's `event` until dispose. */
  on(event: `change:${string}`, cb: () => void): void {
    this.model.on(event, cb);
    this.disposers.push(() => this.model.off(event as never, cb));
  }

  /** Call `cb` on a change of any of `keys`. */
  onChange(keys: readonly string[], cb: () => void): void {
    for (const key of keys) this.on(`change:${key}`, cb);
  }

  /** Call `refresh` once, after the current task's microtasks, however many of `keys` change
   * together (a sync from the kernel sets them one by one). */
  onDataChange(keys: readonly string[], refresh: () => void): void {
    let queued = false;
    this.onChange(keys, () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        refresh();
      });
    });
  }

  /** Run `dispose` when the view goes. */
  add(dispose: () => void): void {
    this.disposers.push(dispose);
  }

  /**
   * Hook the plot up: the `height` / `top_labels` settings (applied now and on change), the
   * pointer gestures, theme switches (`themeChanged` sees the new theme before the renderer) and
   * resizes. `dispose` then disposes of the renderer and takes the layout off the page too.
   */
  attachPlot(layout: PlotElements, plot: PlotRenderer, gestures: GestureHandlers, themeChanged?: (theme: Theme) => void): void {
    this.attached = { layout, plot };
    const applySettings = () => {
      layout.root.style.height = `${Math.max(240, this.model.get("height") || 520)}px`;
      plot.marks.topLabels = Math.max(0, this.model.get("top_labels") ?? 0);
      plot.invalidate(false);
    };
    this.onChange(["top_labels", "height"], applySettings);
    this.add(attachGestures(layout.overlay, gestures));
    this.add(
      watchTheme(() => {
        const theme = readTheme(layout.root);
        themeChanged?.(theme);
        plot.setTheme(theme);
      }),
    );
    const ro = new ResizeObserver(() => plot.resize());
    ro.observe(layout.plot);
    this.add(() => ro.disconnect());
    applySettings();
  }

  /** The view's renderer: it reports its first frame (`firstRenderMs` on the root and
   * `w2v:rendered`), and the root names its backend (`data-renderer`; again at the first frame,
   * as a large map on a CPU's WebGL goes to the rasteriser). */
  renderer(layout: PlotElements & Canvases, theme: Theme): PlotRenderer {
    const plot: PlotRenderer = new PlotRenderer(layout, theme, (points, total) => {
      layout.root.dataset.renderer = plot.backend;
      this.firstDraw(layout.root, points, total);
    });
    layout.root.dataset.renderer = plot.backend;
    return plot;
  }

  /** Put `handle` on the view's root as `__w2v`, for tests and benchmarks. */
  exposeHandle(root: HTMLElement, handle: object): void {
    (root as unknown as { __w2v: unknown }).__w2v = handle;
  }

  /** Mark point `i` (the word `word`) focused, centre the camera on it, send `w2v:focus`. */
  focusPoint(plot: PlotRenderer, i: number, word: string): void {
    plot.marks.focused = i;
    plot.focus(i);
    this.emit("w2v:focus", { word });
  }

  /** The status line: the view's `facts`, "standalone page" where there is no kernel, then the
   * `transient` parts (progress, messages), joined by " · ". */
  setStatus(status: HTMLElement, facts: (string | null | undefined)[], transient: (string | null | undefined)[] = []): void {
    const standalone = this.model.get("_standalone") ? ["standalone page"] : [];
    setText(status, [...facts, ...standalone, ...transient].filter(Boolean).join(" · "));
  }

  /** Send `name` from the view's element (bubbling), for notebooks, tests and benchmarks. */
  emit(name: string, detail: unknown): void {
    this.el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
  }

  /** Note the first frame on screen: its time since the view began on `root` and `w2v:rendered`
   * (`points` of `total` drawn); when it showed only the most frequent points, the frame with
   * every point is `w2v:rendered-all` and `allRenderMs`. */
  private firstDraw(root: HTMLElement, points: number, total: number): void {
    const ms = performance.now() - this.started;
    if (!root.dataset.firstRenderMs) {
      root.dataset.firstRenderMs = ms.toFixed(1);
      this.emit("w2v:rendered", { ms, points, total });
    }
    if (points === total) {
      root.dataset.allRenderMs = ms.toFixed(1);
      this.emit("w2v:rendered-all", { ms, points });
    }
  }

  /** Dispose of the attached renderer, drop every listener, then remove the attached layout. */
  dispose(): void {
    this.attached?.plot.dispose();
    for (const d of this.disposers.splice(0)) d();
    this.attached?.layout.root.remove();
  }
}

/**
 * The pointer handlers both views share: hover marks the point under the pointer (and a pointer
 * cursor) and passes its word to `hovered`, leaving clears it, drags pan and the wheel zooms.
 */
export function hoverPanZoom(
  plot: PlotRenderer,
  overlay: HTMLElement,
  hovered: (word: string, since: number) => void,
): Pick<GestureHandlers, "hover" | "leave" | "pan" | "zoom"> {
  return {
    hover: (sx, sy, time) => {
      const i = plot.hitTest(sx, sy);
      if (i === plot.marks.hovered) return;
      plot.marks.hovered = i;
      overlay.style.cursor = i >= 0 ? "pointer" : "";
      plot.invalidate(false);
      if (i >= 0) hovered(plot.data!.words.at(i)!, time || performance.now());
    },
    leave: () => {
      plot.marks.hovered = -1;
      plot.invalidate(false);
    },
    pan: (dx, dy) => plot.pan(dx, dy),
    zoom: (sx, sy, factor) => plot.zoom(sx, sy, factor),
  };
}
