/**
 * The DOM around the plot: toolbar, search box with completions, result and neighbour lists,
 * selection count, legend and status line. Every word is inserted as text, never as HTML.
 */

import { displayWord, ellipsize, h, setText } from "./dom";
import type { Mode, Neighbour } from "../types";

export interface PanelHandlers {
  search(text: string): void;
  typing(text: string): void;
  pick(word: string): void;
  itemClick(item: Neighbour): void;
  itemHover(point: number): void;
  add(word: string): void;
  mode(mode: Mode): void;
  fit(): void;
  clearSelection(): void;
  cancelLayout(): void;
}

export interface Layout {
  root: HTMLDivElement;
  plot: HTMLDivElement;
  base: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
  progress: HTMLDivElement;
  progressBar: HTMLDivElement;
  cancel: HTMLButtonElement;
  status: HTMLSpanElement;
  modeButtons: Map<Mode, HTMLButtonElement>;
  input: HTMLInputElement;
  completions: HTMLUListElement;
  error: HTMLDivElement;
  resultsTitle: HTMLHeadingElement;
  results: HTMLOListElement;
  neighboursTitle: HTMLHeadingElement;
  neighbours: HTMLOListElement;
  selection: HTMLDivElement;
  legend: HTMLDivElement;
}

export function button(label: string, title: string, onClick: () => void, className = "w2v-btn"): HTMLButtonElement {
  const b = h("button", { type: "button", className, title }, label);
  b.addEventListener("click", onClick);
  return b;
}

function buildToolbar(handlers: PanelHandlers) {
  const modeButtons = new Map<Mode, HTMLButtonElement>();
  const modes: [Mode, string, string][] = [
    ["pan", "Pan", "Drag to pan, wheel to zoom, click a point to pin it"],
    ["lasso", "Lasso", "Drag a lasso to select (Shift+drag also lassos)"],
    ["box", "Box", "Drag a rectangle to select"],
  ];
  for (const [mode, label, title] of modes) {
    const b = button(label, title, () => handlers.mode(mode), "w2v-btn w2v-mode");
    b.dataset.mode = mode;
    modeButtons.set(mode, b);
  }
  const status = h("span", { className: "w2v-status", role: "status" });
  const cancel = button("Stop", "Stop the layout being computed (the map keeps its current one)", () => handlers.cancelLayout(), "w2v-btn w2v-cancel");
  cancel.hidden = true;
  const toolbar = h(
    "div",
    { className: "w2v-toolbar" },
    ...modeButtons.values(),
    button("Fit", "Show all points", () => handlers.fit()),
    button("Clear", "Clear the selection", () => handlers.clearSelection()),
    status,
    cancel,
  );
  return { toolbar, modeButtons, status, cancel };
}

function buildSearch(handlers: PanelHandlers) {
  const input = h("input", {
    type: "search",
    className: "w2v-input",
    placeholder: "word, or two - one + three",
    "aria-label": "Search words",
    autocomplete: "off",
    spellcheck: "false",
  });
  const completions = h("ul", { className: "w2v-complete", role: "listbox" });
  // data-lm-suppress-shortcuts: JupyterLab's keyboard shortcuts (Enter, arrows...) stay out of
  // the search box instead of cancelling its keys.
  const form = h("form", { className: "w2v-search", "data-lm-suppress-shortcuts": "true" }, input, completions);
  form.addEventListener("submit", (e) => e.preventDefault());
  input.addEventListener("input", () => handlers.typing(input.value));
  input.addEventListener("keydown", (e) => {
    e.stopPropagation();
    if (e.key === "Enter") {
      e.preventDefault();
      handlers.search(input.value);
    }
    if (e.key === "Escape") setCompletions(completions, [], handlers);
    if (e.key === "ArrowDown") (completions.querySelector("button") as HTMLButtonElement | null)?.focus();
  });
  return { form, input, completions };
}

export function buildLayout(el: HTMLElement, handlers: PanelHandlers): Layout {
  const { toolbar, modeButtons, status, cancel } = buildToolbar(handlers);
  const base = h("canvas", { className: "w2v-base" });
  const overlay = h("canvas", { className: "w2v-overlay", "aria-label": "word map" });
  const progressBar = h("div", { className: "w2v-progress-bar" });
  const progress = h("div", { className: "w2v-progress", hidden: true, role: "progressbar" }, progressBar);
  const plot = h("div", { className: "w2v-plot" }, base, overlay, progress);
  const { form, input, completions } = buildSearch(handlers);
  const error = h("div", { className: "w2v-error", "aria-live": "polite" });
  const resultsTitle = h("h4", { className: "w2v-title w2v-results-title", hidden: true });
  const results = h("ol", { className: "w2v-list w2v-results" });
  const neighboursTitle = h("h4", { className: "w2v-title w2v-neighbours-title" }, "Hover a point");
  const neighbours = h("ol", { className: "w2v-list w2v-neighbours" });
  const selection = h("div", { className: "w2v-selection" });
  const legend = h("div", { className: "w2v-legend" });
  const side = h("div", { className: "w2v-side" }, form, error, resultsTitle, results, neighboursTitle, neighbours, selection, legend);
  const root = h("div", { className: "w2v-explorer" }, h("div", { className: "w2v-main" }, toolbar, plot), side);
  el.append(root);
  return { root, plot, base, overlay, progress, progressBar, cancel, status, modeButtons, input, completions, error, resultsTitle, results, neighboursTitle, neighbours, selection, legend };
}

function itemRow(item: Neighbour, handlers: PanelHandlers): HTMLLIElement {
  const word = displayWord(item.word);
  const main = h(
    "button",
    { type: "button", className: "w2v-item", title: word, "data-point": item.point },
    h("span", { className: "w2v-word" }, ellipsize(word, 28)),
    h("span", { className: "w2v-score" }, Number.isFinite(item.score) ? item.score.toFixed(3) : ""),
  );
  main.addEventListener("click", () => handlers.itemClick(item));
  main.addEventListener("mouseenter", () => handlers.itemHover(item.point));
  main.addEventListener("mouseleave", () => handlers.itemHover(-1));
  const row = h("li", { className: item.point >= 0 ? "w2v-plotted" : "w2v-unplotted" }, main);
  if (item.point < 0) {
    const add = button("+ plot", `Add ${word} to the plot`, () => handlers.add(item.word), "w2v-btn w2v-add");
    row.append(add);
  }
  return row;
}

/** Fill a result list; `items` come straight from the kernel or the standalone backend. */
export function setList(list: HTMLOListElement, items: Neighbour[], handlers: PanelHandlers): void {
  list.replaceChildren(...items.map((item) => itemRow(item, handlers)));
}

export function setTitle(title: HTMLElement, text: string | null): void {
  title.hidden = text === null;
  setText(title, text ?? "");
}

export function setCompletions(ul: HTMLUListElement, words: string[], handlers: PanelHandlers): void {
  ul.replaceChildren(
    ...words.map((w) => {
      const b = button(ellipsize(displayWord(w), 40), displayWord(w), () => handlers.pick(w), "w2v-option");
      b.setAttribute("role", "option");
      b.addEventListener("keydown", (e) => {
        const li = b.parentElement;
        if (e.key === "ArrowDown") (li?.nextElementSibling?.querySelector("button") as HTMLButtonElement | null)?.focus();
        if (e.key === "ArrowUp") (li?.previousElementSibling?.querySelector("button") as HTMLButtonElement | null)?.focus();
        if (e.key === "Escape") ul.replaceChildren();
      });
      return h("li", {}, b);
    }),
  );
}

/** Show an error, with clickable suggestions when the kernel offered some. */
export function setError(div: HTMLDivElement, message: string, suggestions: string[], handlers: PanelHandlers): void {
  div.replaceChildren();
  if (!message) return;
  div.append(h("span", {}, message));
  for (const s of suggestions) div.append(" ", button(ellipsize(displayWord(s), 24), `Search ${displayWord(s)}`, () => handlers.pick(s), "w2v-suggestion"));
}

export function setLegend(div: HTMLDivElement, legend: { label: string; color: number }[], palette: string[]): void {
  div.replaceChildren(
    ...legend.map((entry) => {
      const swatch = h("span", { className: "w2v-swatch" });
      swatch.style.background = palette[entry.color] ?? "#888";
      return h("span", { className: "w2v-legend-item" }, swatch, ellipsize(displayWord(String(entry.label)), 24));
    }),
  );
}

export function setMode(layout: Layout, mode: Mode): void {
  for (const [m, b] of layout.modeButtons) b.setAttribute("aria-pressed", String(m === mode));
  layout.plot.dataset.mode = mode;
}
