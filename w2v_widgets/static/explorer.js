// src/backend/protocol.ts
var QueryError = class extends Error {
  constructor(message, suggestions = []) {
    super(message);
    this.suggestions = suggestions;
    this.name = "QueryError";
  }
};
var STALE = /* @__PURE__ */ Symbol("stale");
var clientCounter = 0;
function clampInt(v, dflt, lo, hi) {
  const n = typeof v === "number" && Number.isFinite(v) ? Math.round(v) : dflt;
  return Math.min(hi, Math.max(lo, n));
}
function isReply(msg) {
  return typeof msg === "object" && msg !== null && typeof msg.id === "string" && ("result" in msg || "error" in msg);
}
var QueryClient = class {
  constructor(transport, opts = {}) {
    this.transport = transport;
    this.opts = opts;
    this.pending = /* @__PURE__ */ new Map();
    this.latestSeq = /* @__PURE__ */ new Map();
    this.counter = 0;
    this.prefix = `q${(clientCounter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.timeoutMs = opts.timeoutMs ?? 15e3;
    this.unsubscribe = transport.subscribe((msg) => this.handle(msg));
  }
  /** Send a query and wait for its answer. Rejects with QueryError on `{id, error}`. */
  request(type, payload = {}) {
    return this.start(type, payload);
  }
  /** Like `request`, but a newer request on `channel` makes this one resolve to STALE. */
  latest(channel, type, payload = {}) {
    return this.start(type, payload, channel);
  }
  /** Forget the current request on `channel` (its reply will be STALE). */
  cancel(channel) {
    this.latestSeq.set(channel, (this.latestSeq.get(channel) ?? 0) + 1);
  }
  start(type, payload, channel) {
    const id = `${this.prefix}-${++this.counter}`;
    const seq = channel ? (this.latestSeq.get(channel) ?? 0) + 1 : 0;
    if (channel) this.latestSeq.set(channel, seq);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QueryError(`no answer from the kernel to ${type} after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const started = now();
      this.pending.set(id, { resolve, reject, timer, channel, seq, started, type });
      try {
        this.transport.send(channel ? { ...payload, id, type, channel } : { ...payload, id, type });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }
  /** Route one incoming message; returns true when it answered a pending query. */
  handle(msg) {
    if (!isReply(msg)) return false;
    const p = this.pending.get(msg.id);
    if (!p) return false;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    this.opts.onTiming?.(p.type, now() - p.started);
    if (p.channel && this.latestSeq.get(p.channel) !== p.seq) {
      p.resolve(STALE);
    } else if (typeof msg.error === "string") {
      p.reject(new QueryError(msg.error, Array.isArray(msg.suggestions) ? msg.suggestions : []));
    } else {
      p.resolve(msg.result);
    }
    return true;
  }
  get pendingCount() {
    return this.pending.size;
  }
  dispose() {
    this.unsubscribe();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve(STALE);
    }
    this.pending.clear();
  }
};
function now() {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
function modelTransport(model) {
  return {
    send: (msg) => model.send(msg),
    subscribe(handler) {
      const cb = (msg) => handler(msg);
      model.on("msg:custom", cb);
      return () => model.off("msg:custom", cb);
    }
  };
}
function debounce(fn, ms) {
  let timer;
  const call = (...args) => {
    if (timer !== void 0) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = void 0;
      fn(...args);
    }, ms);
  };
  call.cancel = () => {
    if (timer !== void 0) clearTimeout(timer);
    timer = void 0;
  };
  return call;
}

// src/backend/codecs.ts
var CTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array
};
function bytesOf(view) {
  if (view instanceof ArrayBuffer) return new Uint8Array(view);
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
function decodeArray(wire) {
  if (wire == null) return null;
  const Ctor = CTORS[wire.dtype];
  if (!Ctor) throw new Error(`unsupported dtype ${JSON.stringify(wire.dtype)}`);
  const bytes = bytesOf(wire.view);
  const size = Ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) throw new Error("array buffer length is not a multiple of its dtype size");
  if (bytes.byteOffset % size === 0) return new Ctor(bytes.buffer, bytes.byteOffset, bytes.byteLength / size);
  return new Ctor(bytes.slice().buffer);
}
function decodeFloat32(wire) {
  const arr = decodeArray(wire);
  if (arr == null) return new Float32Array(0);
  return arr instanceof Float32Array ? arr : Float32Array.from(arr);
}
function decodeInt32(wire) {
  const arr = decodeArray(wire);
  if (arr == null) return new Int32Array(0);
  return arr instanceof Int32Array ? arr : Int32Array.from(arr);
}
function base64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// src/panel/dom.ts
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === void 0 || value === false) continue;
    if (name === "className") el.className = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child == null) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}
function setText(el, text) {
  el.textContent = text;
}
var graphemeSegmenter = typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter(void 0, { granularity: "grapheme" }) : null;
function graphemes(text) {
  return graphemeSegmenter ? Array.from(graphemeSegmenter.segment(text), (s) => s.segment) : Array.from(text);
}
function ellipsize(text, max = 32) {
  const chars = graphemes(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
function displayWord(word) {
  return word.replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

// src/panel/panel.ts
function button(label, title, onClick, className = "w2v-btn") {
  const b = h("button", { type: "button", className, title }, label);
  b.addEventListener("click", onClick);
  return b;
}
function buildToolbar(handlers) {
  const modeButtons = /* @__PURE__ */ new Map();
  const modes = [
    ["pan", "Pan", "Drag to pan, wheel to zoom, click a point to pin it"],
    ["lasso", "Lasso", "Drag a lasso to select (Shift+drag also lassos)"],
    ["box", "Box", "Drag a rectangle to select"]
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
    cancel
  );
  return { toolbar, modeButtons, status, cancel };
}
function buildSearch(handlers) {
  const input = h("input", {
    type: "search",
    className: "w2v-input",
    placeholder: "word, or two - one + three",
    "aria-label": "Search words",
    autocomplete: "off",
    spellcheck: "false"
  });
  const completions = h("ul", { className: "w2v-complete", role: "listbox" });
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
    if (e.key === "ArrowDown") completions.querySelector("button")?.focus();
  });
  return { form, input, completions };
}
function buildLayout(el, handlers) {
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
function itemRow(item, handlers) {
  const word = displayWord(item.word);
  const main = h(
    "button",
    { type: "button", className: "w2v-item", title: word, "data-point": item.point },
    h("span", { className: "w2v-word" }, ellipsize(word, 28)),
    h("span", { className: "w2v-score" }, Number.isFinite(item.score) ? item.score.toFixed(3) : "")
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
function setList(list, items, handlers) {
  list.replaceChildren(...items.map((item) => itemRow(item, handlers)));
}
function setTitle(title, text) {
  title.hidden = text === null;
  setText(title, text ?? "");
}
function setCompletions(ul, words, handlers) {
  ul.replaceChildren(
    ...words.map((w) => {
      const b = button(ellipsize(displayWord(w), 40), displayWord(w), () => handlers.pick(w), "w2v-option");
      b.setAttribute("role", "option");
      b.addEventListener("keydown", (e) => {
        const li = b.parentElement;
        if (e.key === "ArrowDown") li?.nextElementSibling?.querySelector("button")?.focus();
        if (e.key === "ArrowUp") li?.previousElementSibling?.querySelector("button")?.focus();
        if (e.key === "Escape") ul.replaceChildren();
      });
      return h("li", {}, b);
    })
  );
}
function setError(div, message, suggestions, handlers) {
  div.replaceChildren();
  if (!message) return;
  div.append(h("span", {}, message));
  for (const s of suggestions) div.append(" ", button(ellipsize(displayWord(s), 24), `Search ${displayWord(s)}`, () => handlers.pick(s), "w2v-suggestion"));
}
function setLegend(div, legend, palette) {
  div.replaceChildren(
    ...legend.map((entry) => {
      const swatch = h("span", { className: "w2v-swatch" });
      swatch.style.background = palette[entry.color] ?? "#888";
      return h("span", { className: "w2v-legend-item" }, swatch, ellipsize(displayWord(String(entry.label)), 24));
    })
  );
}
function setMode(layout, mode) {
  for (const [m, b] of layout.modeButtons) b.setAttribute("aria-pressed", String(m === mode));
  layout.plot.dataset.mode = mode;
}

// src/plot/camera.ts
var MIN_ZOOM = 0.2;
var MAX_ZOOM = 400;
function toScreenX(cam, x) {
  return (x - cam.cx) * cam.scale + cam.width / 2;
}
function toScreenY(cam, y) {
  return cam.height / 2 - (y - cam.cy) * cam.scale;
}
function toWorld(cam, sx, sy) {
  return [(sx - cam.width / 2) / cam.scale + cam.cx, cam.cy - (sy - cam.height / 2) / cam.scale];
}
function boundsOf(xy) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x0 > x1) return { x0: -1, y0: -1, x1: 1, y1: 1 };
  return { x0, y0, x1, y1 };
}
function fitBounds(b, width, height, padding = 24) {
  const w = Math.max(b.x1 - b.x0, 1e-9);
  const h2 = Math.max(b.y1 - b.y0, 1e-9);
  const availW = Math.max(width - 2 * padding, 1);
  const availH = Math.max(height - 2 * padding, 1);
  const scale = Math.min(availW / w, availH / h2);
  return { cx: (b.x0 + b.x1) / 2, cy: (b.y0 + b.y1) / 2, scale, width, height };
}
function zoomAt(cam, sx, sy, factor, base) {
  const minScale = base * MIN_ZOOM;
  const maxScale = base * MAX_ZOOM;
  const scale = Math.min(maxScale, Math.max(minScale, cam.scale * factor));
  const [wx, wy] = toWorld(cam, sx, sy);
  const cx = wx - (sx - cam.width / 2) / scale;
  const cy = wy + (sy - cam.height / 2) / scale;
  return { ...cam, cx, cy, scale };
}
function panBy(cam, dx, dy) {
  return { ...cam, cx: cam.cx - dx / cam.scale, cy: cam.cy + dy / cam.scale };
}
function centreOn(cam, x, y, scale = cam.scale) {
  return { ...cam, cx: x, cy: y, scale };
}
function lerpCamera(a, b, t) {
  const s = a.scale * Math.pow(b.scale / a.scale, t);
  return { ...b, cx: a.cx + (b.cx - a.cx) * t, cy: a.cy + (b.cy - a.cy) * t, scale: s };
}
function resize(cam, width, height) {
  return { ...cam, width, height };
}
function easeInOut(t) {
  return t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
}

// src/plot/theme.ts
var LIGHT = {
  background: "#ffffff",
  text: "rgba(0, 0, 0, 0.87)",
  muted: "rgba(0, 0, 0, 0.54)",
  border: "#bdbdbd",
  accent: "#1976d2",
  hover: "#f57c00",
  labelBackground: "rgba(255, 255, 255, 0.85)",
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  dark: false
};
var DARK = {
  ...LIGHT,
  background: "#111111",
  text: "rgba(255, 255, 255, 1)",
  muted: "rgba(255, 255, 255, 0.54)",
  border: "#616161",
  accent: "#64b5f6",
  hover: "#ffb74d",
  labelBackground: "rgba(17, 17, 17, 0.85)"
};
function parseColor(css) {
  const s = css.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m[1][i] + m[1][i], 16));
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}
function isDarkColor(css) {
  const rgb = parseColor(css);
  if (!rgb) return false;
  const [r, g, b] = rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}
function withAlpha(css, alpha) {
  const rgb = parseColor(css);
  return rgb ? `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})` : css;
}
function readTheme(el) {
  const style = getComputedStyle(el);
  const v = (name) => style.getPropertyValue(name).trim();
  const background = v("--jp-layout-color0");
  const fallback = background ? isDarkColor(background) ? DARK : LIGHT : prefersDark() ? DARK : LIGHT;
  const bg = background || fallback.background;
  return {
    background: bg,
    text: v("--jp-ui-font-color0") || fallback.text,
    muted: v("--jp-ui-font-color2") || fallback.muted,
    border: v("--jp-border-color1") || fallback.border,
    accent: v("--jp-brand-color1") || fallback.accent,
    hover: v("--jp-warn-color1") || fallback.hover,
    labelBackground: withAlpha(bg, 0.85),
    font: v("--jp-ui-font-family") || fallback.font,
    dark: isDarkColor(bg)
  };
}
function prefersDark() {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}
function watchTheme(onChange) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name", "class"] });
  const mq = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  mq?.addEventListener("change", onChange);
  return () => {
    observer.disconnect();
    mq?.removeEventListener("change", onChange);
  };
}

// src/plot/spatial.ts
var GridIndex = class {
  constructor(xy, pointsPerCell = 4) {
    this.xy = xy;
    const n = xy.length >> 1;
    this.bounds = boundsOf(xy);
    const w = Math.max(this.bounds.x1 - this.bounds.x0, 1e-9);
    const h2 = Math.max(this.bounds.y1 - this.bounds.y0, 1e-9);
    const cells = Math.max(1, Math.min(n / pointsPerCell, 1 << 20));
    this.cell = Math.max(Math.sqrt(w * h2 / cells), Math.max(w, h2) / 1024);
    this.nx = Math.max(1, Math.ceil(w / this.cell));
    this.ny = Math.max(1, Math.ceil(h2 / this.cell));
    const counts = new Int32Array(this.nx * this.ny + 1);
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = this.cellIndex(xy[2 * i], xy[2 * i + 1]);
      cellOf[i] = c;
      if (c >= 0) counts[c + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    this.start = counts;
    this.items = new Int32Array(counts[counts.length - 1]);
    const fill = counts.slice(0, -1);
    for (let i = 0; i < n; i++) if (cellOf[i] >= 0) this.items[fill[cellOf[i]]++] = i;
  }
  col(x) {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.bounds.x0) / this.cell)));
  }
  row(y) {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.bounds.y0) / this.cell)));
  }
  cellIndex(x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return -1;
    return this.row(y) * this.nx + this.col(x);
  }
  /** Call `visit(i)` for every point whose cell overlaps the rectangle. */
  scan(x0, y0, x1, y1, visit) {
    const b = this.bounds;
    if (x1 < b.x0 || x0 > b.x1 || y1 < b.y0 || y0 > b.y1) return;
    const c0 = this.col(x0), c1 = this.col(x1), r0 = this.row(y0), r1 = this.row(y1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.nx + c;
        for (let k = this.start[cell]; k < this.start[cell + 1]; k++) visit(this.items[k]);
      }
    }
  }
  /** Index of the point nearest (x, y) within `radius` (data units), or -1. Ties: lowest index. */
  nearest(x, y, radius) {
    let best = -1;
    let bestD = radius * radius;
    this.scan(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = this.xy[2 * i] - x, dy = this.xy[2 * i + 1] - y;
      const d = dx * dx + dy * dy;
      if (d < bestD || d === bestD && (best < 0 || i < best)) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }
  /** Points inside the axis-aligned rectangle (corners in any order), ascending. */
  inRect(ax, ay, bx, by) {
    const x0 = Math.min(ax, bx), x1 = Math.max(ax, bx), y0 = Math.min(ay, by), y1 = Math.max(ay, by);
    const out = [];
    this.scan(x0, y0, x1, y1, (i) => {
      const x = this.xy[2 * i], y = this.xy[2 * i + 1];
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
    });
    return out.sort((a, b) => a - b);
  }
  /** Points inside the polygon given as flat [x0, y0, x1, y1, ...], ascending. */
  inPolygon(poly) {
    if (poly.length < 6) return [];
    const pb = boundsOf(poly);
    const out = [];
    this.scan(pb.x0, pb.y0, pb.x1, pb.y1, (i) => {
      if (pointInPolygon(this.xy[2 * i], this.xy[2 * i + 1], poly)) out.push(i);
    });
    return out.sort((a, b) => a - b);
  }
};
function pointInPolygon(x, y, poly) {
  let inside2 = false;
  const n = poly.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1];
    const xj = poly[2 * j], yj = poly[2 * j + 1];
    if (yi > y !== yj > y && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside2 = !inside2;
  }
  return inside2;
}

// src/plot/words.ts
var decoder = new TextDecoder();
var encoder = new TextEncoder();
var cache = /* @__PURE__ */ new WeakMap();
var WordList = class {
  /** Whether `word` is plotted. */
  has(word) {
    return this.pointOf(word) >= 0;
  }
  /** The words as an array of strings (decodes every word: for small lists and tests). */
  toArray() {
    const out = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }
  /** For each point of `this`, the point holding its word in `old` (-1: none). */
  pointsIn(old) {
    const out = new Int32Array(this.length);
    if (old === this) {
      for (let i = 0; i < out.length; i++) out[i] = i;
      return out;
    }
    for (let i = 0; i < out.length; i++) out[i] = old.pointOf(this.at(i));
    return out;
  }
  /** The words of a `_words` trait value (a packed value or a list; nothing: no words). */
  static from(value) {
    if (value == null) return new StringWords([]);
    const known = cache.get(value);
    if (known) return known;
    const list = Array.isArray(value) ? new StringWords(value) : PackedWords.fromWire(value);
    cache.set(value, list);
    return list;
  }
};
var StringWords = class extends WordList {
  constructor(words) {
    super();
    this.words = words;
    this.index = null;
  }
  get length() {
    return this.words.length;
  }
  at(i) {
    return this.words[i];
  }
  pointOf(word) {
    if (!this.index) {
      this.index = /* @__PURE__ */ new Map();
      this.words.forEach((w, i) => {
        if (!this.index.has(w)) this.index.set(w, i);
      });
    }
    return this.index.get(word) ?? -1;
  }
  toArray() {
    return this.words.slice();
  }
};
function hashBytes(bytes, start, end) {
  let h2 = 2166136261;
  for (let p = start; p < end; p++) h2 = Math.imul(h2 ^ bytes[p], 16777619);
  return h2 >>> 0;
}
var PackedWords = class _PackedWords extends WordList {
  constructor(bytes, ends) {
    super();
    this.bytes = bytes;
    this.ends = ends;
    /** Open addressing: slot -> point + 1 (0: empty). */
    this.table = null;
    if (ends.length > 0 && ends[ends.length - 1] > bytes.length) throw new Error("packed words end past their bytes");
  }
  static fromWire(value) {
    const raw = decodeArray(value.utf8);
    const bytes = raw ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(0);
    return new _PackedWords(bytes, decodeInt32(value.ends));
  }
  /** Pack `words` (as the kernel does; for tests and the standalone page). */
  static pack(words) {
    const parts = words.map((w) => encoder.encode(w));
    const ends = new Int32Array(words.length);
    let total = 0;
    parts.forEach((p, i) => ends[i] = total += p.length);
    const bytes = new Uint8Array(total);
    parts.forEach((p, i) => bytes.set(p, i ? ends[i - 1] : 0));
    return new _PackedWords(bytes, ends);
  }
  get length() {
    return this.ends.length;
  }
  start(i) {
    return i > 0 ? this.ends[i - 1] : 0;
  }
  at(i) {
    if (!(i >= 0 && i < this.ends.length)) return void 0;
    const start = this.start(i), end = this.ends[i];
    let ascii = true;
    for (let p = start; p < end && ascii; p++) ascii = this.bytes[p] < 128;
    if (ascii && end - start < 256) return String.fromCharCode.apply(null, this.bytes.subarray(start, end));
    return decoder.decode(this.bytes.subarray(start, end));
  }
  pointOf(word) {
    const key = encoder.encode(word);
    return this.find(key, 0, key.length);
  }
  /** The first point whose bytes equal `key[start:end]`, or -1. */
  find(key, start, end) {
    const table = this.table ?? (this.table = this.buildTable());
    const mask = table.length - 1;
    const len = end - start;
    for (let slot = hashBytes(key, start, end) & mask; ; slot = slot + 1 & mask) {
      const entry = table[slot];
      if (entry === 0) return -1;
      const i = entry - 1, s = this.start(i);
      if (this.ends[i] - s !== len) continue;
      let same = true;
      for (let p = 0; p < len && same; p++) same = this.bytes[s + p] === key[start + p];
      if (same) return i;
    }
  }
  buildTable() {
    let size = 16;
    while (size < 2 * this.ends.length) size *= 2;
    const table = new Int32Array(size);
    for (let i = 0; i < this.ends.length; i++) this.insert(table, i);
    return table;
  }
  /** Put point `i` into `table`, unless an earlier point holds the same word. */
  insert(table, i) {
    const mask = table.length - 1;
    const s = this.start(i), e = this.ends[i], len = e - s;
    for (let slot = hashBytes(this.bytes, s, e) & mask; ; slot = slot + 1 & mask) {
      const entry = table[slot];
      if (entry === 0) {
        table[slot] = i + 1;
        return;
      }
      const j = entry - 1, t = this.start(j);
      if (this.ends[j] - t !== len) continue;
      let same = true;
      for (let p = 0; p < len && same; p++) same = this.bytes[t + p] === this.bytes[s + p];
      if (same) return;
    }
  }
  pointsIn(old) {
    if (!(old instanceof _PackedWords) || old === this) return super.pointsIn(old);
    const out = new Int32Array(this.length);
    let same = 0;
    while (same < Math.min(this.length, old.length) && this.ends[same] === old.ends[same]) same++;
    const prefix = same > 0 ? this.ends[same - 1] : 0;
    let bytesSame = true;
    for (let p = 0; p < prefix && bytesSame; p++) bytesSame = this.bytes[p] === old.bytes[p];
    const from = bytesSame ? same : 0;
    for (let i = 0; i < from; i++) out[i] = i;
    for (let i = from; i < out.length; i++) out[i] = old.find(this.bytes, this.start(i), this.ends[i]);
    return out;
  }
};

// src/plot/plotdata.ts
function readPlotData(get) {
  const words = WordList.from(get("_words"));
  const xy = decodeFloat32(get("_xy"));
  if (xy.length !== 2 * words.length) return null;
  let codes = decodeInt32(get("_codes"));
  if (codes.length !== words.length) codes = new Int32Array(words.length);
  const palette = get("_palette")?.length ? get("_palette") : ["#4c78a8"];
  const colors = palette.map((c) => parseColor(c) ?? [128, 128, 128]);
  let grid = null;
  return {
    words,
    xy,
    codes,
    palette,
    colors,
    get grid() {
      return grid ?? (grid = new GridIndex(xy));
    }
  };
}
function startPositions(old, next, current) {
  const from = next.xy.slice();
  const was = next.words.pointsIn(old.words);
  for (let i = 0; i < was.length; i++) {
    const j = was[i];
    if (j >= 0 && 2 * j + 1 < current.length) {
      from[2 * i] = current[2 * j];
      from[2 * i + 1] = current[2 * j + 1];
    }
  }
  return from;
}
function lerpPositions(from, to, t, out) {
  for (let i = 0; i < to.length; i++) out[i] = from[i] + (to[i] - from[i]) * t;
  return out;
}

// src/plot/interaction.ts
var CLICK_SLOP = 4;
function gestureFor(mode, e) {
  if (e.shiftKey || mode === "lasso") return "lasso";
  if (e.altKey || mode === "box") return "box";
  return "pan";
}
function attachGestures(target, on) {
  let drag = null;
  const pos = (e) => {
    const r = target.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const down = (e) => {
    if (e.button !== 0) return;
    const [x, y] = pos(e);
    drag = { kind: gestureFor(on.mode(), e), x0: x, y0: y, x, y, moved: false, points: [x, y] };
    target.setPointerCapture?.(e.pointerId);
  };
  const move = (e) => {
    const [x, y] = pos(e);
    if (!drag) return on.hover(x, y, e.timeStamp);
    if (!drag.moved && Math.hypot(x - drag.x0, y - drag.y0) < CLICK_SLOP) return;
    drag.moved = true;
    if (drag.kind === "pan") on.pan(x - drag.x, y - drag.y);
    else if (drag.kind === "lasso") {
      drag.points.push(x, y);
      on.lasso(drag.points, false);
    } else on.box([drag.x0, drag.y0, x, y], false);
    drag.x = x;
    drag.y = y;
  };
  const up = (e) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    target.releasePointerCapture?.(e.pointerId);
    const [x, y] = pos(e);
    if (!d.moved) return on.click(x, y, e.shiftKey);
    if (d.kind === "lasso") on.lasso(d.points, true);
    if (d.kind === "box") on.box([d.x0, d.y0, x, y], true);
  };
  const wheel = (e) => {
    e.preventDefault();
    const [x, y] = pos(e);
    const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    on.zoom(x, y, Math.exp(-dy * 2e-3));
  };
  const leave = () => {
    if (!drag) on.leave();
  };
  target.addEventListener("pointerdown", down);
  target.addEventListener("pointermove", move);
  target.addEventListener("pointerup", up);
  target.addEventListener("pointercancel", up);
  target.addEventListener("pointerleave", leave);
  target.addEventListener("wheel", wheel, { passive: false });
  return () => {
    target.removeEventListener("pointerdown", down);
    target.removeEventListener("pointermove", move);
    target.removeEventListener("pointerup", up);
    target.removeEventListener("pointercancel", up);
    target.removeEventListener("pointerleave", leave);
    target.removeEventListener("wheel", wheel);
  };
}

// src/plot/arrows.ts
var ARROW_COLOR = { light: "#c2185b", dark: "#f06292" };
var HEAD_PX = 9;
var CROSS_PX = 7;
function analogyGeometry(xy, cam, m) {
  const at = (i) => i >= 0 && 2 * i + 1 < xy.length ? [toScreenX(cam, xy[2 * i]), toScreenY(cam, xy[2 * i + 1])] : null;
  const seg = (p, q) => p && q ? [p[0], p[1], q[0], q[1]] : null;
  const [a, b, c] = [at(m.a), at(m.b), at(m.c)];
  const target = m.target ? [toScreenX(cam, m.target[0]), toScreenY(cam, m.target[1])] : null;
  const sides = [seg(b, c), seg(a, target)].filter((s) => s !== null);
  return { offset: seg(b, a), copy: seg(c, target), sides, target, gap: seg(target, at(m.answers[0] ?? -1)) };
}
function arrow(ctx, [x0, y0, x1, y1]) {
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
function line(ctx, [x0, y0, x1, y1]) {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}
function drawAnalogy(ctx, xy, cam, theme, m) {
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
function drawAnalogyLabel(ctx, xy, cam, theme, m) {
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

// src/plot/labels.ts
var CELL = 48;
var Occupancy = class {
  constructor() {
    this.cells = /* @__PURE__ */ new Map();
  }
  *keys(b) {
    for (let cy = Math.floor(b.y / CELL); cy <= Math.floor((b.y + b.h) / CELL); cy++) {
      for (let cx = Math.floor(b.x / CELL); cx <= Math.floor((b.x + b.w) / CELL); cx++) {
        yield cy * 65536 + cx;
      }
    }
  }
  collides(b) {
    for (const k of this.keys(b)) {
      for (const o of this.cells.get(k) ?? []) if (overlaps(b, o)) return true;
    }
    return false;
  }
  add(b) {
    for (const k of this.keys(b)) {
      const list = this.cells.get(k);
      if (list) list.push(b);
      else this.cells.set(k, [b]);
    }
  }
};
function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
function candidatesFor(c, w, h2, off) {
  const box = (x, y) => ({ id: c.id, text: c.text, x, y, w, h: h2 });
  return [
    box(c.x + off, c.y - h2 / 2),
    // right
    box(c.x - off - w, c.y - h2 / 2),
    // left
    box(c.x - w / 2, c.y - off - h2),
    // above
    box(c.x - w / 2, c.y + off)
    // below
  ];
}
function inside(b, width, height) {
  return b.x >= 0 && b.y >= 0 && b.x + b.w <= width && b.y + b.h <= height;
}
function placeLabels(candidates, measure, opts) {
  const order = candidates.map((c, i) => [c, i]);
  order.sort((a, b) => b[0].priority - a[0].priority || a[1] - b[1]);
  const occupied = new Occupancy();
  const placed = [];
  const seen = /* @__PURE__ */ new Set();
  const used = /* @__PURE__ */ new Map();
  const max = opts.maxLabels ?? Infinity;
  for (const [c] of order) {
    if (placed.length >= max) break;
    if (seen.has(c.id)) continue;
    if (c.group !== void 0 && (used.get(c.group) ?? 0) >= (opts.quota?.[c.group] ?? Infinity)) continue;
    const w = measure(c.text);
    for (const b of candidatesFor(c, w, opts.lineHeight, opts.offset)) {
      if (!inside(b, opts.width, opts.height) || occupied.collides(b)) continue;
      occupied.add(b);
      placed.push(b);
      seen.add(c.id);
      if (c.group !== void 0) used.set(c.group, (used.get(c.group) ?? 0) + 1);
      break;
    }
  }
  return placed;
}

// src/plot/scatter.ts
function makeMask(outer, inner) {
  const dx = [], dy = [], cov = [];
  const R = Math.ceil(outer + 1);
  for (let y = -R; y <= R; y++) {
    for (let x = -R; x <= R; x++) {
      const d = Math.hypot(x, y);
      const c = Math.min(1, Math.max(0, outer + 0.5 - d)) - Math.min(1, Math.max(0, inner + 0.5 - d));
      if (c > 0.01) {
        dx.push(x);
        dy.push(y);
        cov.push(Math.min(1, c));
      }
    }
  }
  const extent = Math.max(0, ...dx.map(Math.abs), ...dy.map(Math.abs));
  return { dx: Int16Array.from(dx), dy: Int16Array.from(dy), cov: Float32Array.from(cov), weight: Int32Array.from(cov, (c) => Math.round(c * 256)), extent, linear: /* @__PURE__ */ new Map() };
}
var masks = /* @__PURE__ */ new Map();
function discMask(r) {
  return cachedMask(`d${r}`, () => makeMask(r, -1));
}
function ringMask(r, width) {
  return cachedMask(`r${r}|${width}`, () => makeMask(r + width, r));
}
function cachedMask(key, make) {
  let m = masks.get(key);
  if (!m) {
    m = make();
    masks.set(key, m);
  }
  return m;
}
function fillRaster(r, rgb) {
  const d = r.data;
  for (let p = 0; p < d.length; p += 4) {
    d[p] = rgb[0];
    d[p + 1] = rgb[1];
    d[p + 2] = rgb[2];
    d[p + 3] = 255;
  }
}
var LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
var words32 = /* @__PURE__ */ new WeakMap();
function u32(r) {
  let w = words32.get(r.data);
  if (!w) {
    w = new Uint32Array(r.data.buffer, r.data.byteOffset, r.data.byteLength >> 2);
    words32.set(r.data, w);
  }
  return w;
}
function linearOffsets(mask, width) {
  let off = mask.linear.get(width);
  if (!off) {
    off = Int32Array.from(mask.dx, (dx, k) => mask.dy[k] * width + dx);
    mask.linear.set(width, off);
  }
  return off;
}
function blend(data, p, rgb, a) {
  data[p] += (rgb[0] - data[p]) * a;
  data[p + 1] += (rgb[1] - data[p + 1]) * a;
  data[p + 2] += (rgb[2] - data[p + 2]) * a;
}
function stamp(r, cx, cy, mask, rgb, alpha = 1) {
  const { data, width, height } = r;
  const e = mask.extent;
  if (LITTLE_ENDIAN && cx - e >= 0 && cy - e >= 0 && cx + e < width && cy + e < height) {
    const words = u32(r);
    const packed = 255 << 24 | rgb[2] << 16 | rgb[1] << 8 | rgb[0];
    const off = linearOffsets(mask, width);
    const base = cy * width + cx;
    const srb = packed & 16711935, sg = packed & 65280;
    const weight = mask.weight;
    const scale = Math.round(alpha * 256);
    for (let k = 0; k < off.length; k++) {
      const q = base + off[k];
      const a = scale >= 256 ? weight[k] : weight[k] * scale >> 8;
      if (a >= 256) {
        words[q] = packed;
      } else if (a > 0) {
        const d = words[q], b = 256 - a;
        const rb = (srb * a + (d & 16711935) * b >>> 8 & 16711935) >>> 0;
        const g = (sg * a + (d & 65280) * b >>> 8 & 65280) >>> 0;
        words[q] = (4278190080 | rb | g) >>> 0;
      }
    }
    return;
  }
  for (let k = 0; k < mask.cov.length; k++) {
    const x = cx + mask.dx[k], y = cy + mask.dy[k];
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    const p = y * width + x << 2;
    const a = mask.cov[k] * alpha;
    if (a >= 1) {
      data[p] = rgb[0];
      data[p + 1] = rgb[1];
      data[p + 2] = rgb[2];
      data[p + 3] = 255;
    } else blend(data, p, rgb, a);
  }
}
function rasterPoints(r, xy, codes, colors, cam, dpr, style, keep) {
  const k = cam.scale * dpr;
  const ox = cam.width * dpr / 2 - cam.cx * k;
  const oy = cam.height * dpr / 2 + cam.cy * k;
  const disc = discMask(style.radius);
  const ring2 = style.ring ? ringMask(style.radius, style.ringWidth ?? 1) : null;
  const margin = style.radius + (style.ringWidth ?? 0) + 2;
  const alpha = style.alpha ?? 1;
  const fallback = [128, 128, 128];
  let drawn = 0;
  for (let i = 0, n = xy.length >> 1; i < n; i++) {
    if (keep && !keep(i)) continue;
    const sx = Math.round(xy[2 * i] * k + ox), sy = Math.round(oy - xy[2 * i + 1] * k);
    if (!(sx > -margin && sy > -margin && sx < r.width + margin && sy < r.height + margin)) continue;
    if (ring2) stamp(r, sx, sy, ring2, style.ring, alpha);
    stamp(r, sx, sy, disc, colors[codes[i]] ?? fallback, alpha);
    drawn++;
  }
  return drawn;
}
function ring(ctx, sx, sy, radius, stroke, width, fill) {
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

// src/plot/overlay.ts
function emptyMarks() {
  return { hovered: -1, focused: -1, listHover: -1, pinned: [], neighbours: [], source: -1, results: [], topLabels: 0, lasso: null, box: null, analogy: null };
}
var FONT_PX = 12;
var FAR_NEIGHBOUR_PX = 80;
var LINE = FONT_PX + 6;
var POINT_R = 3;
function visible(cam, sx, sy) {
  return sx >= 0 && sy >= 0 && sx <= cam.width && sy <= cam.height;
}
function labelCandidates(words, xy, cam, marks) {
  const out = [];
  const push = (i, priority) => {
    if (i < 0 || i >= words.length) return;
    const x = toScreenX(cam, xy[2 * i]), y = toScreenY(cam, xy[2 * i + 1]);
    if (visible(cam, x, y)) out.push({ id: i, text: ellipsize(displayWord(words.at(i)), 40), x, y, priority });
  };
  push(marks.hovered, 1e3);
  push(marks.listHover, 990);
  push(marks.focused, 980);
  marks.pinned.forEach((i) => push(i, 900));
  analogyPoints(marks).forEach((i, r) => push(i, 850 - r / 1e3));
  marks.results.forEach((i, r) => push(i, 800 - r / 1e3));
  marks.neighbours.forEach((i, r) => push(i, 700 - r / 1e3));
  let frequent = 0;
  for (let i = 0; i < words.length && frequent < marks.topLabels * 4; i++) {
    const x = toScreenX(cam, xy[2 * i]), y = toScreenY(cam, xy[2 * i + 1]);
    if (!visible(cam, x, y)) continue;
    out.push({ id: i, text: ellipsize(displayWord(words.at(i)), 40), x, y, priority: 100 - i / words.length, group: "frequent" });
    frequent++;
  }
  return out;
}
function analogyPoints(marks) {
  const m = marks.analogy;
  return m ? [m.a, m.b, m.c, ...m.answers].filter((i) => i >= 0) : [];
}
function farNeighbours(xy, cam, source, neighbours, minPx = FAR_NEIGHBOUR_PX) {
  if (source < 0 || 2 * source + 1 >= xy.length) return [];
  const sx = toScreenX(cam, xy[2 * source]), sy = toScreenY(cam, xy[2 * source + 1]);
  return neighbours.filter((i) => {
    if (i < 0 || i === source || 2 * i + 1 >= xy.length) return false;
    return Math.hypot(toScreenX(cam, xy[2 * i]) - sx, toScreenY(cam, xy[2 * i + 1]) - sy) >= minPx;
  });
}
function drawFarLines(ctx, xy, cam, theme, marks) {
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
function drawRings(ctx, xy, cam, theme, marks) {
  const at = (i) => [toScreenX(cam, xy[2 * i]), toScreenY(cam, xy[2 * i + 1])];
  const draw = (i, r, color, width, fill) => {
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
function drawLabels(ctx, placed, theme, important) {
  ctx.textBaseline = "middle";
  for (const p of placed) {
    ctx.fillStyle = theme.labelBackground;
    ctx.fillRect(p.x, p.y, p.w, p.h);
    ctx.font = `${important.has(p.id) ? "600 " : ""}${FONT_PX}px ${theme.font}`;
    ctx.fillStyle = important.has(p.id) ? theme.text : theme.muted;
    ctx.fillText(p.text, p.x + 3, p.y + p.h / 2);
  }
}
function drawSelectionShape(ctx, theme, marks) {
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
function drawOverlay(ctx, words, xy, cam, theme, marks, dpr, measure) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cam.width, cam.height);
  drawFarLines(ctx, xy, cam, theme, marks);
  if (marks.analogy) drawAnalogy(ctx, xy, cam, theme, marks.analogy);
  drawRings(ctx, xy, cam, theme, marks);
  const important = /* @__PURE__ */ new Set([marks.hovered, marks.focused, marks.listHover, ...marks.pinned, ...marks.results, ...analogyPoints(marks)]);
  const cands = labelCandidates(words, xy, cam, marks);
  const placed = placeLabels(cands, (text) => measure(text) + 6, {
    width: cam.width,
    height: cam.height,
    lineHeight: LINE,
    offset: POINT_R + 4,
    maxLabels: 400,
    quota: { frequent: marks.topLabels }
  });
  drawLabels(ctx, placed, theme, important);
  if (marks.analogy) drawAnalogyLabel(ctx, xy, cam, theme, marks.analogy);
  drawSelectionShape(ctx, theme, marks);
  return placed;
}
function labelMeasurer(ctx, theme) {
  const cache2 = /* @__PURE__ */ new Map();
  return (text) => {
    let w = cache2.get(text);
    if (w === void 0) {
      ctx.font = `600 ${FONT_PX}px ${theme.font}`;
      w = ctx.measureText(text).width;
      if (cache2.size > 5e3) cache2.clear();
      cache2.set(text, w);
    }
    return w;
  };
}

// src/plot/webgl.ts
var SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|basic render|software/i;
function isSoftwareGPU(name) {
  return SOFTWARE_GPU.test(name);
}
var VERTEX = `
attribute vec2 a_from;
attribute vec2 a_to;
attribute vec4 a_color;
attribute float a_state;
uniform float u_t;
uniform vec2 u_scale;
uniform vec2 u_offset;
uniform float u_size;
uniform float u_selectedSize;
varying vec4 v_color;
varying float v_state;
varying float v_size;
void main() {
  vec2 p = mix(a_from, a_to, u_t);
  gl_Position = vec4(p * u_scale + u_offset, 0.0, 1.0);
  v_size = a_state > 1.5 ? u_selectedSize : u_size;
  gl_PointSize = v_size;
  v_color = a_color;
  v_state = a_state;
}`;
var FRAGMENT = `
precision mediump float;
uniform vec3 u_ring;
uniform float u_ringOn;
uniform float u_dim;
varying vec4 v_color;
varying float v_state;
varying float v_size;
void main() {
  float r = length(gl_PointCoord * 2.0 - 1.0) * v_size * 0.5;  // pixels from the centre
  float edge = v_size * 0.5 - 0.5;
  float a = clamp(edge - r + 0.5, 0.0, 1.0);
  if (a <= 0.0) discard;
  vec3 rgb = v_color.rgb;
  float alpha = v_state > 0.5 && v_state < 1.5 ? u_dim : 1.0;
  if (v_state > 1.5) rgb = mix(rgb, u_ring, u_ringOn * clamp(r - (edge - 1.5), 0.0, 1.0));
  gl_FragColor = vec4(rgb * alpha * a, alpha * a);
}`;
var NORMAL = 0;
var DIMMED = 1;
var SELECTED = 2;
function compile(gl, type, source) {
  const shader = gl.createShader(type);
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`WebGL shader: ${gl.getShaderInfoLog(shader)}`);
  return shader;
}
function pointColors(codes, colors, out) {
  const rgba = out && out.length === codes.length * 4 ? out : new Uint8Array(codes.length * 4);
  const fallback = [128, 128, 128];
  for (let i = 0; i < codes.length; i++) {
    const c = colors[codes[i]] ?? fallback;
    rgba[4 * i] = c[0];
    rgba[4 * i + 1] = c[1];
    rgba[4 * i + 2] = c[2];
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}
function pointStates(n, selected, out) {
  const states = out && out.length === n ? out : new Uint8Array(n);
  states.fill(selected.size ? DIMMED : NORMAL);
  for (const i of selected) if (i >= 0 && i < n) states[i] = SELECTED;
  return states;
}
function clipTransform(cam) {
  const sx = 2 * cam.scale / cam.width, sy = 2 * cam.scale / cam.height;
  return { scale: [sx, sy], offset: [-cam.cx * sx, -cam.cy * sy] };
}
var GLPoints = class _GLPoints {
  constructor(gl) {
    this.gl = gl;
    this.n = 0;
    /** True when the start and end layouts are the same array: one buffer serves both. */
    this.still = true;
    this.colorBytes = new Uint8Array(0);
    this.stateBytes = new Uint8Array(0);
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    this.software = isSoftwareGPU(String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? ""));
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`WebGL program: ${gl.getProgramInfoLog(program)}`);
    this.program = program;
    this.buffers = { from: gl.createBuffer(), to: gl.createBuffer(), color: gl.createBuffer(), state: gl.createBuffer() };
    this.attr = {
      from: gl.getAttribLocation(program, "a_from"),
      to: gl.getAttribLocation(program, "a_to"),
      color: gl.getAttribLocation(program, "a_color"),
      state: gl.getAttribLocation(program, "a_state")
    };
    this.loc = Object.fromEntries(
      ["u_t", "u_scale", "u_offset", "u_size", "u_selectedSize", "u_ring", "u_ringOn", "u_dim"].map((u) => [u, gl.getUniformLocation(program, u)])
    );
  }
  /** A WebGL point layer on `canvas`, or null when the browser cannot give one. */
  static create(canvas) {
    let gl = null;
    try {
      gl = canvas.getContext("webgl", { antialias: false, alpha: false, premultipliedAlpha: true, preserveDrawingBuffer: true });
      return gl ? new _GLPoints(gl) : null;
    } catch {
      return null;
    }
  }
  /** Give the context back now (its buffers go with it), not when the page is collected. */
  release() {
    this.gl.getExtension("WEBGL_lose_context")?.loseContext();
  }
  get lost() {
    return this.gl.isContextLost();
  }
  /** Wait until the GPU has drawn (reads one pixel back). */
  finish() {
    this.gl.readPixels(0, 0, 1, 1, this.gl.RGBA, this.gl.UNSIGNED_BYTE, new Uint8Array(4));
  }
  /** Upload an animated move's start and end layouts (the same array when not moving: then it
   * is uploaded once, which at 3M points saves copying 24 MB to the GPU process). */
  setPositions(from, to) {
    const gl = this.gl;
    this.n = Math.min(from.length, to.length) >> 1;
    this.still = from === to;
    if (!this.still) {
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.from);
      gl.bufferData(gl.ARRAY_BUFFER, from, gl.STATIC_DRAW);
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.to);
    gl.bufferData(gl.ARRAY_BUFFER, to, gl.STATIC_DRAW);
  }
  setColors(codes, colors) {
    this.colorBytes = pointColors(codes, colors, this.colorBytes);
    this.upload(this.buffers.color, this.colorBytes);
  }
  setSelection(n, selected) {
    this.stateBytes = pointStates(n, selected, this.stateBytes);
    this.upload(this.buffers.state, this.stateBytes);
  }
  upload(buffer, bytes) {
    this.gl.bindBuffer(this.gl.ARRAY_BUFFER, buffer);
    this.gl.bufferData(this.gl.ARRAY_BUFFER, bytes, this.gl.STATIC_DRAW);
  }
  /** Clear to the background and draw every point at move fraction `t` (0 start, 1 end). */
  draw(cam, dpr, t, style) {
    const gl = this.gl;
    const canvas = gl.canvas;
    gl.viewport(0, 0, canvas.width, canvas.height);
    const [r, g, b] = style.background;
    gl.clearColor(r / 255, g / 255, b / 255, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (this.n === 0 || this.colorBytes.length < 4 * this.n || this.stateBytes.length < this.n) return;
    gl.useProgram(this.program);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    const bind = (name, size, type, normalized) => {
      const at = this.attr[name];
      if (at < 0) return;
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers[name === "from" && this.still ? "to" : name]);
      gl.enableVertexAttribArray(at);
      gl.vertexAttribPointer(at, size, type, normalized, 0, 0);
    };
    bind("from", 2, gl.FLOAT, false);
    bind("to", 2, gl.FLOAT, false);
    bind("color", 4, gl.UNSIGNED_BYTE, true);
    bind("state", 1, gl.UNSIGNED_BYTE, false);
    const { scale, offset } = clipTransform(cam);
    gl.uniform1f(this.loc.u_t, t);
    gl.uniform2f(this.loc.u_scale, scale[0], scale[1]);
    gl.uniform2f(this.loc.u_offset, offset[0], offset[1]);
    gl.uniform1f(this.loc.u_size, (2 * style.radius + 1) * dpr);
    gl.uniform1f(this.loc.u_selectedSize, (2 * style.radius + (style.ring ? 4 : 1)) * dpr);
    const ring2 = style.ring ?? [0, 0, 0];
    gl.uniform3f(this.loc.u_ring, ring2[0] / 255, ring2[1] / 255, ring2[2] / 255);
    gl.uniform1f(this.loc.u_ringOn, style.ring ? 1 : 0);
    gl.uniform1f(this.loc.u_dim, style.dim);
    gl.drawArrays(gl.POINTS, 0, this.n);
  }
};

// src/plot/renderer.ts
var POINT_RADIUS = 2.5;
var MIN_POINT_RADIUS = 1;
var DIMMED_ALPHA = 0.18;
var RING_MAX = 2e3;
var HOVER_RADIUS_PX = 8;
var MOVE_MS = 800;
var CAMERA_MS = 450;
var SLOW_DRAW_MS = 30;
var SETTLE_MS = 160;
var FIRST_POINTS = 3e5;
var SOFTWARE_GL_MAX_POINTS = 1e6;
function pointRadius(points, width, height, zoom) {
  if (points <= 0) return POINT_RADIUS;
  const spacing = Math.sqrt(width * height * zoom * zoom / points);
  return Math.min(POINT_RADIUS, Math.max(MIN_POINT_RADIUS, 0.6 * spacing));
}
var PlotRenderer = class {
  constructor(canvases, theme, onFirstDraw) {
    this.canvases = canvases;
    this.theme = theme;
    this.onFirstDraw = onFirstDraw;
    this.data = null;
    this.marks = emptyMarks();
    this.selection = /* @__PURE__ */ new Set();
    this.drawn = false;
    /** The camera of the image on the points canvas, and how long drawing it took. */
    this.drawnCam = null;
    this.lastBaseMs = 0;
    /** Labels drawn in the last frame (point indices). */
    this.labels = [];
    /** Where the first frame's time went (ms, for the benchmarks): `upload` the data handed to the
     * GPU (WebGL: waited for, so that `draw` is the drawing alone), `draw` the first full draw. */
    this.firstFrame = { created: performance.now(), dataAt: 0, upload: 0, drawAt: 0, draw: 0, points: 0, allAt: 0 };
    /** Points the GPU holds so far, while the first frame shows only the first `FIRST_POINTS`. */
    this.partial = 0;
    this.xy = new Float32Array(0);
    this.move = null;
    this.cam = { cx: 0, cy: 0, scale: 1, width: 1, height: 1 };
    this.camMove = null;
    this.baseScale = 1;
    this.userMoved = false;
    this.frame = 0;
    this.baseDirty = true;
    this.image = null;
    this.contextLost = () => this.toRasteriser();
    /** Points that `fit` frames instead of the data's (e.g. both ends of a morph); null: the data. */
    this.fitXY = null;
    /** Drawn on the overlay after the marks (CSS pixels at camera `cam`), e.g. the compare view's trails. */
    this.drawExtra = null;
    this.measure = labelMeasurer(this.overlayCtx(), theme);
    this.gl = GLPoints.create(canvases.base);
    canvases.base.addEventListener("webglcontextlost", this.contextLost);
  }
  dispose() {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.settleTimer);
    this.canvases.base.removeEventListener("webglcontextlost", this.contextLost);
  }
  /** How the points are drawn. */
  get backend() {
    return this.gl ? "webgl" : "canvas";
  }
  /** Carry on with the rasteriser on a fresh canvas (a canvas keeps its first context type). */
  toRasteriser() {
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
  get selected() {
    return this.selection;
  }
  set selected(points) {
    this.selection = points;
    this.gl?.setSelection(this.partial || (this.data?.words.length ?? 0), points);
  }
  get camera() {
    return { ...this.cam };
  }
  get busy() {
    return Boolean(this.move || this.camMove);
  }
  setTheme(theme) {
    this.theme = theme;
    this.measure = labelMeasurer(this.overlayCtx(), theme);
    this.invalidate(true);
  }
  /** Show new data; points present before move from where they were (at once with `animate` false). */
  setData(next, animate = true) {
    const t0 = performance.now();
    const old = this.data;
    this.data = next;
    this.partial = 0;
    const n = next.words.length;
    if (!this.drawn && !old && this.gl?.software && n > SOFTWARE_GL_MAX_POINTS) this.toRasteriser();
    if (!this.drawn && !old && this.gl && n > FIRST_POINTS) {
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
    if (!this.userMoved) this.fit(this.move !== null);
    this.invalidate(true);
  }
  // ---- camera -------------------------------------------------------------------------------
  fit(animate) {
    const target = fitBounds(boundsOf(this.fitXY ?? this.data?.xy ?? new Float32Array(0)), this.cam.width, this.cam.height);
    this.baseScale = target.scale;
    if (animate) {
      this.animateCamera(target);
      this.userMoved = false;
    } else this.cam = target;
    this.invalidate(true);
  }
  /** Centre on point `i`, zooming in to at least three times the fitted scale. */
  focus(i) {
    const xy = this.data.xy;
    this.animateCamera(centreOn(this.cam, xy[2 * i], xy[2 * i + 1], Math.max(this.cam.scale, this.baseScale * 3)));
  }
  /** Frame points (and `extra` layout coordinates, x, y, ...: e.g. an analogy's ✕). */
  fitPoints(points, extra = []) {
    if (!this.data || points.length === 0) return;
    const xy = new Float32Array([...points.flatMap((i) => [this.data.xy[2 * i], this.data.xy[2 * i + 1]]), ...extra]);
    const target = fitBounds(boundsOf(xy), this.cam.width, this.cam.height, 60);
    target.scale = Math.min(target.scale, this.baseScale * 20);
    this.animateCamera(target);
  }
  pan(dx, dy) {
    this.camMove = null;
    this.userMoved = true;
    this.cam = panBy(this.cam, dx, dy);
    this.gesture();
  }
  zoom(sx, sy, factor) {
    this.camMove = null;
    this.userMoved = true;
    this.cam = zoomAt(this.cam, sx, sy, factor, this.baseScale);
    this.gesture();
  }
  /** True when gestures move the drawn image rather than redraw the points every frame. */
  get movesImage() {
    return this.lastBaseMs > SLOW_DRAW_MS && this.drawnCam !== null && this.move === null;
  }
  /** After a camera change by a gesture: redraw now, or move the image and redraw when it pauses. */
  gesture() {
    if (!this.movesImage) return this.invalidate(true);
    this.moveImage();
    this.invalidate(false);
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.invalidate(true), SETTLE_MS);
  }
  /** Transform the points canvas so its image (drawn at `drawnCam`) sits where `cam` shows it. */
  moveImage() {
    const from = this.drawnCam, to = this.cam;
    const k = to.scale / from.scale;
    const tx = to.width / 2 * (1 - k) + (from.cx - to.cx) * to.scale;
    const ty = to.height / 2 * (1 - k) + (to.cy - from.cy) * to.scale;
    const style = this.canvases.base.style;
    style.transformOrigin = "0 0";
    style.transform = `translate(${tx}px, ${ty}px) scale(${k})`;
  }
  animateCamera(target) {
    this.userMoved = true;
    this.camMove = { from: this.cam, to: target, start: performance.now(), ms: CAMERA_MS };
    this.invalidate(true);
  }
  // ---- hit testing --------------------------------------------------------------------------
  hitTest(sx, sy) {
    if (!this.data) return -1;
    const [x, y] = toWorld(this.cam, sx, sy);
    return this.data.grid.nearest(x, y, HOVER_RADIUS_PX / this.cam.scale);
  }
  /** Points inside a lasso (flat screen coordinates) or a box (two screen corners). */
  pointsIn(lasso, box) {
    if (!this.data) return [];
    if (lasso) {
      const world = [];
      for (let i = 0; i + 1 < lasso.length; i += 2) world.push(...toWorld(this.cam, lasso[i], lasso[i + 1]));
      return this.data.grid.inPolygon(world);
    }
    if (!box) return [];
    const [ax, ay] = toWorld(this.cam, box[0], box[1]);
    const [bx, by] = toWorld(this.cam, box[2], box[3]);
    return this.data.grid.inRect(ax, ay, bx, by);
  }
  /** Listed neighbours far from their word on screen (the dashed lines of the overlay). */
  farNeighbours() {
    return farNeighbours(this.xy, this.cam, this.marks.source, this.marks.neighbours);
  }
  /** Where point `i` will be on the page once the camera animation ends (client pixels). */
  clientPoint(i) {
    const r = this.canvases.overlay.getBoundingClientRect();
    const cam = { ...this.camMove?.to ?? this.cam, width: this.cam.width, height: this.cam.height };
    return { x: r.left + toScreenX(cam, this.data.xy[2 * i]), y: r.top + toScreenY(cam, this.data.xy[2 * i + 1]) };
  }
  // ---- drawing ------------------------------------------------------------------------------
  resize() {
    const { clientWidth: w, clientHeight: h2 } = this.canvases.plot;
    if (w === 0 || h2 === 0) return;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.canvases.base, this.canvases.overlay]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h2 * dpr);
    }
    this.cam = resize(this.cam, w, h2);
    if (!this.userMoved) this.fit(false);
    this.invalidate(true);
    this.drawNow();
  }
  invalidate(base) {
    this.baseDirty || (this.baseDirty = base);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.drawNow());
  }
  /** Advance animations; true while one is still running. */
  step(now2) {
    let more = false;
    if (this.move) {
      const t = Math.min(1, (now2 - this.move.start) / this.move.ms);
      if (this.xy.length !== this.move.to.length) this.xy = new Float32Array(this.move.to.length);
      lerpPositions(this.move.from, this.move.to, easeInOut(t), this.xy);
      if (t >= 1) this.move = null;
      more || (more = t < 1);
      this.baseDirty = true;
    }
    if (this.camMove) {
      const t = Math.min(1, (now2 - this.camMove.start) / this.camMove.ms);
      const to = { ...this.camMove.to, width: this.cam.width, height: this.cam.height };
      this.cam = lerpCamera(this.camMove.from, to, easeInOut(t));
      if (t >= 1) this.camMove = null;
      more || (more = t < 1);
      if (this.movesImage && t < 1) this.moveImage();
      else this.baseDirty = true;
    }
    return more;
  }
  drawNow() {
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
  drawBase(sync = false) {
    const t0 = performance.now();
    const first = !this.drawn;
    this.drawn = true;
    this.baseDirty = false;
    clearTimeout(this.settleTimer);
    this.drawnCam = { ...this.cam };
    this.canvases.base.style.transform = "";
    if (this.gl && !this.gl.lost) {
      const all2 = this.data.words.length;
      const completing = this.firstFrame.points > 0 && this.firstFrame.allAt === 0 && !this.partial;
      const timed = sync || first || completing;
      this.drawGL(timed);
      const ms = performance.now() - t0;
      if (first) {
        const points = this.partial || all2;
        Object.assign(this.firstFrame, { drawAt: t0 - this.firstFrame.created, draw: ms, points });
        if (points === all2) this.firstFrame.allAt = performance.now() - this.firstFrame.created;
        this.onFirstDraw(points, all2);
      }
      if (completing) {
        this.firstFrame.points = all2;
        this.firstFrame.allAt = performance.now() - this.firstFrame.created;
        this.onFirstDraw(all2, all2);
      }
      if (this.partial) requestAnimationFrame(() => this.uploadRest());
      else if (timed) this.lastBaseMs = ms;
      return ms;
    }
    const ctx = this.canvases.base.getContext("2d");
    const { width, height } = this.canvases.base;
    if (this.image?.width !== width || this.image?.height !== height) this.image = ctx.createImageData(width, height);
    this.paintPoints(this.image);
    ctx.putImageData(this.image, 0, 0);
    const all = this.data.words.length;
    if (first) Object.assign(this.firstFrame, { drawAt: t0 - this.firstFrame.created, draw: performance.now() - t0, points: all, allAt: performance.now() - this.firstFrame.created });
    if (first) this.onFirstDraw(all, all);
    return this.lastBaseMs = performance.now() - t0;
  }
  /** After a first frame of the first `FIRST_POINTS`: hand every point to the GPU and draw them. */
  uploadRest() {
    const data = this.data;
    if (!this.partial || !data || !this.gl) return;
    this.partial = 0;
    this.gl.setPositions(data.xy, data.xy);
    this.gl.setColors(data.codes, data.colors);
    this.gl.setSelection(data.words.length, this.selection);
    this.invalidate(true);
  }
  /** The points' radius in CSS pixels for the current zoom. */
  radius() {
    const zoom = this.cam.scale / (this.baseScale || 1);
    return pointRadius(this.data?.words.length ?? 0, this.cam.width, this.cam.height, zoom);
  }
  drawGL(sync) {
    const gl = this.gl;
    const t = this.move ? easeInOut(Math.min(1, (performance.now() - this.move.start) / this.move.ms)) : 1;
    gl.draw(this.cam, window.devicePixelRatio || 1, t, {
      radius: this.radius(),
      background: parseColor(this.theme.background) ?? [255, 255, 255],
      ring: this.selection.size <= RING_MAX ? parseColor(this.theme.text) ?? [0, 0, 0] : null,
      dim: DIMMED_ALPHA
    });
    if (sync) gl.finish();
  }
  /** Background, then the points; with a selection, the others are faded and the selected ringed. */
  paintPoints(raster) {
    const data = this.data;
    const dpr = window.devicePixelRatio || 1;
    fillRaster(raster, parseColor(this.theme.background) ?? [255, 255, 255]);
    const radius = this.radius();
    const style = { radius: Math.round(radius * dpr * 2) / 2 };
    const sel = this.selected;
    const draw = (s, keep) => rasterPoints(raster, this.xy, data.codes, data.colors, this.cam, dpr, s, keep);
    if (sel.size === 0) {
      draw(style);
      return;
    }
    draw({ ...style, alpha: DIMMED_ALPHA }, (i) => !sel.has(i));
    if (sel.size > RING_MAX) {
      draw(style, (i) => sel.has(i));
      return;
    }
    const ring2 = parseColor(this.theme.text) ?? [0, 0, 0];
    draw({ radius: Math.round((radius + 1) * dpr * 2) / 2, ring: ring2, ringWidth: 1.5 * dpr }, (i) => sel.has(i));
  }
  drawMarks() {
    const dpr = window.devicePixelRatio || 1;
    const words = this.data.words;
    const placed = drawOverlay(this.overlayCtx(), words, this.xy, this.cam, this.theme, this.marks, dpr, this.measure);
    this.labels = placed.map((p) => p.id);
    this.drawExtra?.(this.overlayCtx(), this.cam);
  }
  overlayCtx() {
    return this.canvases.overlay.getContext("2d");
  }
};

// src/plot/view-wiring.ts
function plotHandle(plot, pointOf) {
  const word = (i) => plot.data?.words.at(i) ?? null;
  return {
    /** Client coordinates of a plotted word's point (after animations), or null. */
    clientPoint: (w) => {
      const i = pointOf(w);
      return i < 0 ? null : plot.clientPoint(i);
    },
    labels: () => plot.labels.map(word),
    hovered: () => word(plot.marks.hovered),
    focused: () => word(plot.marks.focused),
    /** "webgl" or "canvas". */
    renderer: () => plot.backend
  };
}
var ViewWiring = class {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.disposers = [];
    this.started = performance.now();
    this.attached = null;
  }
  /** Call `cb` on the model's `event` until dispose. */
  on(event, cb) {
    this.model.on(event, cb);
    this.disposers.push(() => this.model.off(event, cb));
  }
  /** Call `cb` on a change of any of `keys`. */
  onChange(keys, cb) {
    for (const key of keys) this.on(`change:${key}`, cb);
  }
  /** Call `refresh` once, after the current task's microtasks, however many of `keys` change
   * together (a sync from the kernel sets them one by one). */
  onDataChange(keys, refresh) {
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
  add(dispose) {
    this.disposers.push(dispose);
  }
  /**
   * Hook the plot up: the `height` / `top_labels` settings (applied now and on change), the
   * pointer gestures, theme switches (`themeChanged` sees the new theme before the renderer) and
   * resizes. `dispose` then disposes of the renderer and takes the layout off the page too.
   */
  attachPlot(layout, plot, gestures, themeChanged) {
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
      })
    );
    const ro = new ResizeObserver(() => plot.resize());
    ro.observe(layout.plot);
    this.add(() => ro.disconnect());
    applySettings();
  }
  /** The view's renderer: it reports its first frame (`firstRenderMs` on the root and
   * `w2v:rendered`), and the root names its backend (`data-renderer`; again at the first frame,
   * as a large map on a CPU's WebGL goes to the rasteriser). */
  renderer(layout, theme) {
    const plot = new PlotRenderer(layout, theme, (points, total) => {
      layout.root.dataset.renderer = plot.backend;
      this.firstDraw(layout.root, points, total);
    });
    layout.root.dataset.renderer = plot.backend;
    return plot;
  }
  /** Put `handle` on the view's root as `__w2v`, for tests and benchmarks. */
  exposeHandle(root, handle) {
    root.__w2v = handle;
  }
  /** Mark point `i` (the word `word`) focused, centre the camera on it, send `w2v:focus`. */
  focusPoint(plot, i, word) {
    plot.marks.focused = i;
    plot.focus(i);
    this.emit("w2v:focus", { word });
  }
  /** The status line: the view's `facts`, "standalone page" where there is no kernel, then the
   * `transient` parts (progress, messages), joined by " · ". */
  setStatus(status, facts, transient = []) {
    const standalone = this.model.get("_standalone") ? ["standalone page"] : [];
    setText(status, [...facts, ...standalone, ...transient].filter(Boolean).join(" · "));
  }
  /** Send `name` from the view's element (bubbling), for notebooks, tests and benchmarks. */
  emit(name, detail) {
    this.el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
  }
  /** Note the first frame on screen: its time since the view began on `root` and `w2v:rendered`
   * (`points` of `total` drawn); when it showed only the most frequent points, the frame with
   * every point is `w2v:rendered-all` and `allRenderMs`. */
  firstDraw(root, points, total) {
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
  dispose() {
    this.attached?.plot.dispose();
    for (const d of this.disposers.splice(0)) d();
    this.attached?.layout.root.remove();
  }
};
function hoverPanZoom(plot, overlay, hovered) {
  return {
    hover: (sx, sy, time) => {
      const i = plot.hitTest(sx, sy);
      if (i === plot.marks.hovered) return;
      plot.marks.hovered = i;
      overlay.style.cursor = i >= 0 ? "pointer" : "";
      plot.invalidate(false);
      if (i >= 0) hovered(plot.data.words.at(i), time || performance.now());
    },
    leave: () => {
      plot.marks.hovered = -1;
      plot.invalidate(false);
    },
    pan: (dx, dy) => plot.pan(dx, dy),
    zoom: (sx, sy, factor) => plot.zoom(sx, sy, factor)
  };
}

// src/compare/morph.ts
function clampT(t) {
  return typeof t === "number" && Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
}
function morph(a, b, t, out = new Float32Array(a.length)) {
  if (a.length !== b.length) throw new Error(`the two layouts differ in length (${a.length} and ${b.length})`);
  return lerpPositions(a, b, clampT(t), out);
}
function bothEnds(a, b) {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
function withPositions(base, xy) {
  let grid = null;
  return {
    words: base.words,
    codes: base.codes,
    palette: base.palette,
    colors: base.colors,
    xy,
    get grid() {
      return grid ?? (grid = new GridIndex(xy));
    }
  };
}
function sharedWords(a, b) {
  if (!a || !b) return /* @__PURE__ */ new Set();
  const inB = new Set(b.map((it) => it.word));
  return new Set(a.filter((it) => inB.has(it.word)).map((it) => it.word));
}
function sharedSummary(a, b) {
  if (!a || !b) return a ? "only in the first run" : b ? "only in the second run" : "";
  const k = Math.max(a.length, b.length);
  return `${sharedWords(a, b).size} of ${k} shared`;
}

// src/compare/layout.ts
var SLIDER_STEPS = 1e3;
function buildCompareLayout(el, on) {
  const slider = h("input", { type: "range", className: "w2v-morph", min: 0, max: SLIDER_STEPS, step: 1, value: 0, "aria-label": "Morph the first run into the second" });
  slider.addEventListener("input", () => on.slide(Number(slider.value) / SLIDER_STEPS, false));
  slider.addEventListener("change", () => on.slide(Number(slider.value) / SLIDER_STEPS, true));
  const nameA = h("span", { className: "w2v-run-name w2v-run-a" });
  const nameB = h("span", { className: "w2v-run-name w2v-run-b" });
  const play = button("Play", "Morph from one run to the other", () => on.play(), "w2v-btn w2v-play");
  const status = h("span", { className: "w2v-status", role: "status" });
  const toolbar = h("div", { className: "w2v-toolbar" }, button("Fit", "Show all points", () => on.fit()), play, nameA, slider, nameB, status);
  const base = h("canvas", { className: "w2v-base" });
  const overlay = h("canvas", { className: "w2v-overlay", "aria-label": "word map of both runs" });
  const plot = h("div", { className: "w2v-plot" }, base, overlay);
  const moved = h("ol", { className: "w2v-list w2v-moved" });
  const neighboursTitle = h("h4", { className: "w2v-title w2v-neighbours-title" }, "Hover a point");
  const titleA = h("h5", { className: "w2v-run-title" });
  const titleB = h("h5", { className: "w2v-run-title" });
  const listA = h("ol", { className: "w2v-list w2v-nb-a" });
  const listB = h("ol", { className: "w2v-list w2v-nb-b" });
  const pair = h("div", { className: "w2v-pair" }, h("div", {}, titleA, listA), h("div", {}, titleB, listB));
  const legend = h("div", { className: "w2v-legend" });
  const note = h("div", { className: "w2v-note" }, "Map: one PCA of both runs after aligning them in the full space; a point's move is its displacement projected. Neighbours come from the full spaces.");
  const side = h(
    "div",
    { className: "w2v-side" },
    h("h4", { className: "w2v-title", title: "Distance between the word's unit vectors after the alignment (0 to 2), and how many of its nearest neighbours both runs share" }, "Moved most · distance · shared"),
    moved,
    neighboursTitle,
    pair,
    h("h4", { className: "w2v-title w2v-legend-title" }, "Colour: of each word's nearest neighbours, how many both runs share"),
    legend,
    note
  );
  const root = h("div", { className: "w2v-explorer w2v-compare" }, h("div", { className: "w2v-main" }, toolbar, plot), side);
  el.append(root);
  return { root, plot, base, overlay, slider, play, nameA, nameB, status, moved, neighboursTitle, titleA, titleB, listA, listB, legend };
}
function setNames(layout, names) {
  const [a, b] = [displayWord(names[0] ?? "a"), displayWord(names[1] ?? "b")];
  setText(layout.nameA, ellipsize(a, 18));
  setText(layout.nameB, ellipsize(b, 18));
  layout.nameA.title = a;
  layout.nameB.title = b;
  setText(layout.titleA, ellipsize(a, 22));
  setText(layout.titleB, ellipsize(b, 22));
}
function wordButton(word, detail, on, point) {
  const shown = displayWord(word);
  const b = h(
    "button",
    { type: "button", className: "w2v-item", title: shown },
    h("span", { className: "w2v-word" }, ellipsize(shown, 24)),
    h("span", { className: "w2v-score" }, detail)
  );
  if (point) b.addEventListener("click", () => on.focus(word));
  b.addEventListener("mouseenter", () => on.itemHover(word));
  b.addEventListener("mouseleave", () => on.itemHover(null));
  return b;
}
function setMoved(list, moved, k, on) {
  list.replaceChildren(
    ...moved.map((m) => {
      const shared = Math.round(m.overlap * k);
      return h("li", {}, wordButton(m.word, `${m.displacement.toFixed(2)} · ${shared}/${k}`, on, true));
    })
  );
}
function setNeighbours(list, items, common, on, missing) {
  if (!items) {
    list.replaceChildren(h("li", { className: "w2v-missing" }, missing));
    return;
  }
  list.replaceChildren(
    ...items.map((it) => {
      const cls = `${common.has(it.word) ? "w2v-common" : "w2v-own"} ${it.point >= 0 ? "w2v-plotted" : "w2v-unplotted"}`;
      return h("li", { className: cls }, wordButton(it.word, Number.isFinite(it.score) ? it.score.toFixed(2) : "", on, it.point >= 0));
    })
  );
}

// src/compare/trail.ts
function trails(points, xyA, xyB, cam) {
  const out = [];
  for (const i of new Set(points)) {
    if (i < 0 || 2 * i + 1 >= xyA.length || 2 * i + 1 >= xyB.length) continue;
    out.push({
      point: i,
      ax: toScreenX(cam, xyA[2 * i]),
      ay: toScreenY(cam, xyA[2 * i + 1]),
      bx: toScreenX(cam, xyB[2 * i]),
      by: toScreenY(cam, xyB[2 * i + 1])
    });
  }
  return out;
}
var HEAD_PX2 = 8;
function drawTrails(ctx, list, color) {
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
    ctx.lineTo(t.bx - HEAD_PX2 * ux, t.by - HEAD_PX2 * uy);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(t.bx, t.by);
    ctx.lineTo(t.bx - HEAD_PX2 * ux - HEAD_PX2 / 2 * uy, t.by - HEAD_PX2 * uy + HEAD_PX2 / 2 * ux);
    ctx.lineTo(t.bx - HEAD_PX2 * ux + HEAD_PX2 / 2 * uy, t.by - HEAD_PX2 * uy - HEAD_PX2 / 2 * ux);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

// src/compare/view.ts
var HOVER_DEBOUNCE_MS = 20;
var PLAY_MS = 1600;
var PUSH_T_MS = 150;
var CompareView = class {
  constructor(model, el, client) {
    this.model = model;
    this.client = client;
    this.base = null;
    this.xyA = new Float32Array(0);
    this.xyB = new Float32Array(0);
    this.t = 0;
    this.playing = 0;
    this.listed = null;
    this.wiring = new ViewWiring(model, el);
    this.layout = buildCompareLayout(el, this.handlers());
    this.theme = readTheme(this.layout.root);
    this.plot = this.wiring.renderer(this.layout, this.theme);
    this.plot.drawExtra = (ctx, cam) => drawTrails(ctx, trails(this.trailPoints(), this.xyA, this.xyB, cam), this.theme.hover);
    this.hoverSoon = debounce((word, since) => void this.showNeighbours(word, "hover", since), HOVER_DEBOUNCE_MS);
    this.pushSoon = debounce((t) => this.pushT(t), PUSH_T_MS);
    this.listen();
    this.refreshData();
    this.wiring.exposeHandle(this.layout.root, this.debugHandle());
  }
  dispose() {
    cancelAnimationFrame(this.playing);
    this.hoverSoon.cancel();
    this.pushSoon.cancel();
    this.wiring.dispose();
  }
  // ---- wiring -------------------------------------------------------------------------------
  listen() {
    const w = this.wiring;
    w.onDataChange(["_words", "_xy_a", "_xy_b", "_codes", "_palette", "_legend", "_moved", "_names", "_summary"], () => this.refreshData());
    w.on("change:t", () => {
      const t = clampT(this.model.get("t"));
      if (Math.abs(t - this.t) > 1e-6) this.setT(t, false);
    });
    w.on("change:_focus", () => this.focusWord(this.model.get("_focus")?.word ?? ""));
    w.attachPlot(this.layout, this.plot, this.gestures(), (theme) => this.theme = theme);
  }
  k() {
    return clampInt(this.model.get("k"), 10, 1, this.model.get("max_k"));
  }
  // ---- model → view -------------------------------------------------------------------------
  refreshData() {
    const get = (key) => key === "_xy" ? this.model.get("_xy_a") : this.model.get(key);
    const base = readPlotData(get);
    const xyB = decodeFloat32(this.model.get("_xy_b"));
    if (!base || xyB.length !== base.xy.length) return;
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
  refreshStatus() {
    const s = this.model.get("_summary") ?? {};
    this.wiring.setStatus(this.layout.status, [
      `${(this.base?.words.length ?? 0).toLocaleString()} words`,
      typeof s.shared === "number" ? `${s.shared.toLocaleString()} shared` : null,
      typeof s.mean_overlap === "number" ? `mean overlap ${s.mean_overlap.toFixed(2)}` : null
    ]);
  }
  /** Show the layout at `t`; `push` sends it to the kernel's `t` (debounced while dragging). */
  setT(t, push, done = true) {
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
  pushT(t) {
    if (Math.abs(clampT(this.model.get("t")) - t) < 1e-6) return;
    this.model.set("t", t);
    this.model.save_changes();
  }
  play() {
    cancelAnimationFrame(this.playing);
    const from = this.t;
    const to = from < 0.5 ? 1 : 0;
    const start = performance.now();
    const tick = (now2) => {
      const u = Math.min(1, (now2 - start) / PLAY_MS);
      this.setT(from + (to - from) * easeInOut(u), u >= 1, true);
      this.playing = u < 1 ? requestAnimationFrame(tick) : 0;
    };
    this.playing = requestAnimationFrame(tick);
  }
  /** Words whose path from run a to run b is drawn: hovered, focused, hovered in a list. */
  trailPoints() {
    const m = this.plot.marks;
    return [m.hovered, m.focused, m.listHover];
  }
  pointOf(word) {
    return this.base?.words.pointOf(word) ?? -1;
  }
  refreshMarks() {
    const marks = this.plot.marks;
    const items = [...this.listed?.a ?? [], ...this.listed?.b ?? []];
    marks.neighbours = [...new Set(items.map((it) => this.pointOf(it.word)).filter((i) => i >= 0))];
    marks.source = this.listed ? this.pointOf(this.listed.word) : -1;
    this.plot.invalidate(false);
  }
  renderNeighbours() {
    const res = this.listed;
    const on = this.handlers();
    if (!res) return;
    const withPoints = (items) => items?.map((it) => ({ ...it, point: this.pointOf(it.word) })) ?? null;
    const common = sharedWords(res.a, res.b);
    const names = this.model.get("_names") ?? [];
    setText(this.layout.neighboursTitle, `Nearest to ${res.word} · ${sharedSummary(res.a, res.b)}`);
    setNeighbours(this.layout.listA, withPoints(res.a), common, on, `not in ${names[0] ?? "a"}`);
    setNeighbours(this.layout.listB, withPoints(res.b), common, on, `not in ${names[1] ?? "b"}`);
    this.refreshMarks();
  }
  async showNeighbours(word, reason, since = performance.now()) {
    try {
      const res = await this.client.latest("neighbours", "neighbours", { word, k: this.k(), reason });
      if (res === STALE) return;
      this.listed = res;
      this.renderNeighbours();
      this.wiring.emit("w2v:neighbours", { word, reason, ms: performance.now() - since });
    } catch (err) {
      setText(this.layout.neighboursTitle, err instanceof QueryError || err instanceof Error ? err.message : String(err));
    }
  }
  focusWord(word) {
    const i = this.pointOf(word);
    if (i < 0) return;
    this.wiring.focusPoint(this.plot, i, word);
    void this.showNeighbours(word, "focus");
  }
  // ---- gestures and handlers ----------------------------------------------------------------
  handlers() {
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
      }
    };
  }
  gestures() {
    const plot = this.plot;
    return {
      ...hoverPanZoom(plot, this.layout.overlay, (word, since) => this.hoverSoon(word, since)),
      mode: () => "pan",
      click: (sx, sy) => {
        const i = plot.hitTest(sx, sy);
        if (i >= 0) this.focusWord(plot.data.words.at(i));
      },
      lasso: () => void 0,
      box: () => void 0
    };
  }
  // ---- test handle --------------------------------------------------------------------------
  debugHandle() {
    const plot = this.plot;
    const word = (i) => plot.data?.words.at(i) ?? null;
    return {
      ...plotHandle(plot, (w) => this.pointOf(w)),
      /** A word's shown position in data coordinates. */
      position: (w) => {
        const i = this.pointOf(w);
        return i < 0 || !plot.data ? null : [plot.data.xy[2 * i], plot.data.xy[2 * i + 1]];
      },
      t: () => this.t,
      busy: () => plot.busy || this.playing !== 0,
      /** Words whose a-to-b trail is drawn. */
      trails: () => this.trailPoints().filter((i) => i >= 0).map(word)
    };
  }
};
function renderCompare(model, el, client) {
  const view = new CompareView(model, el, client);
  return () => view.dispose();
}

// src/panel/follow.ts
var SHOWN = 12;
function changeLines(state) {
  return (state.changes ?? []).map((c) => {
    const gained = (c.gained ?? []).slice(0, SHOWN);
    const lost = (c.lost ?? []).slice(0, SHOWN);
    let note = null;
    if (c.first) note = "pinned: changes from the next update";
    else if (gained.length === 0 && lost.length === 0) note = "same neighbours";
    return { word: c.word, gained, lost, note };
  });
}
function followTitle(state) {
  const frame = state.frame ? ` (${state.frame} frame)` : "";
  return `${state.label ?? "following training"}${frame}`;
}
function buildFollowBox() {
  return h("div", { className: "w2v-follow", hidden: true, "aria-live": "polite" });
}
function wordList(className, sign, words, pick) {
  const span = h("span", { className }, sign);
  words.forEach((w, i) => {
    const b = h("button", { type: "button", className: "w2v-change-item", title: displayWord(w) }, ellipsize(displayWord(w), 20));
    b.addEventListener("click", () => pick(w));
    span.append(i ? ", " : " ", b);
  });
  return span;
}
function renderFollow(box, state, pick) {
  if (!state || state.update === void 0) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.dataset.update = String(state.update);
  box.dataset.active = String(Boolean(state.active));
  const title = h("div", { className: "w2v-follow-title" });
  setText(title, followTitle(state));
  const lines = changeLines(state);
  const rows = lines.map((line2) => {
    const row = h("div", { className: "w2v-change", "data-word": line2.word }, h("span", { className: "w2v-change-word", title: displayWord(line2.word) }, ellipsize(displayWord(line2.word), 24)));
    if (line2.note) row.append(" ", h("span", { className: "w2v-change-note" }, line2.note));
    if (line2.gained.length) row.append(" ", wordList("w2v-gained", "+", line2.gained, pick));
    if (line2.lost.length) row.append(" ", wordList("w2v-lost", "−", line2.lost, pick));
    return row;
  });
  if (rows.length === 0) rows.push(h("div", { className: "w2v-change-note" }, "Click a point to pin it: pinned words list the neighbours they gain (+) and lose (−) at each update."));
  box.replaceChildren(title, ...rows);
}

// src/backend/single-flight.ts
function singleFlight(fn) {
  let busy = false;
  let waiting = null;
  const run = (args) => {
    busy = true;
    let done;
    try {
      done = Promise.resolve(fn(...args));
    } catch (err) {
      done = Promise.reject(err);
    }
    void done.catch(() => void 0).then(() => {
      busy = false;
      const next = waiting;
      waiting = null;
      if (next) run(next);
    });
  };
  const call = (...args) => {
    if (busy) waiting = args;
    else run(args);
  };
  return Object.defineProperties(call, {
    cancel: { value: () => void (waiting = null) },
    busy: { get: () => busy }
  });
}

// src/backend/query.ts
var ParseError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ParseError";
  }
};
function tokenize(text) {
  const tokens = [];
  const chars = Array.from(text);
  let i = 0;
  while (i < chars.length) {
    if (/\s/.test(chars[i])) {
      i++;
      continue;
    }
    const glued = (chars[i] === "+" || chars[i] === "-") && chars[i + 1] === '"' ? chars[i] : void 0;
    if (chars[i] === '"' || glued) {
      i += glued ? 2 : 1;
      let word2 = "";
      for (; i < chars.length && chars[i] !== '"'; i++) word2 += chars[i] === "\\" && i + 1 < chars.length ? chars[++i] : chars[i];
      if (i >= chars.length) throw new ParseError("a quoted word has no closing quote");
      i++;
      tokens.push({ text: word2, quoted: true, sign: glued });
      continue;
    }
    let word = "";
    for (; i < chars.length && !/\s/.test(chars[i]); i++) word += chars[i];
    tokens.push({ text: word, quoted: false });
  }
  return tokens;
}
function quoteWord(word) {
  return /[\s"\\]|^[+-]|^$/u.test(word) ? `"${word.replace(/[\\"]/g, (ch) => `\\${ch}`)}"` : word;
}
function parseQuery(text) {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ParseError("type a word, or an analogy like: two - one + three");
  const positive = [];
  const negative = [];
  let sign = null;
  tokens.forEach((token, i) => {
    if (!token.quoted && (token.text === "+" || token.text === "-")) {
      if (sign !== null || i === 0 && token.text === "+") throw new ParseError(`unexpected "${token.text}"`);
      sign = token.text;
      return;
    }
    let word = token.text;
    const glued = token.quoted ? token.sign : token.text.length > 1 && (token.text[0] === "+" || token.text[0] === "-") ? token.text[0] : void 0;
    if (i > 0 && sign === null && glued) {
      sign = glued;
      if (!token.quoted) word = token.text.slice(1);
    } else if (sign !== null && token.quoted && token.sign) {
      throw new ParseError(`unexpected "${token.sign}"`);
    } else if (i > 0 && sign === null) {
      throw new ParseError(`put + or - between "${tokens[i - 1].text}" and "${token.text}"`);
    } else if (i === 0 && token.quoted && token.sign) {
      sign = token.sign;
    }
    (sign === "-" ? negative : positive).push(word);
    sign = null;
  });
  if (sign !== null) throw new ParseError("the query ends with an operator; add a word after it");
  if (positive.length === 0) throw new ParseError("give at least one word with a + sign");
  return { positive, negative };
}
function lastToken(text) {
  const m = /(?:^|\s)[+-]?([^\s]*)$/.exec(text);
  return m ? m[1] : "";
}
function replaceLastToken(text, word) {
  const token = lastToken(text);
  return text.slice(0, text.length - token.length) + (/[\s"\\]/u.test(word) ? quoteWord(word) : word);
}

// src/panel/sidepanel.ts
var SidePanel = class {
  constructor(layout, client, host) {
    this.layout = layout;
    this.client = client;
    this.host = host;
    this.neighbours = null;
    this.results = null;
    this.completeSoon = debounce((text) => void this.complete(text), 60);
  }
  dispose() {
    this.completeSoon.cancel();
  }
  /** Words listed (neighbours and results), for the marks on the plot. */
  listedWords() {
    return {
      source: this.neighbours?.word ?? null,
      neighbours: this.neighbours?.items.map((it) => it.word) ?? [],
      results: this.results?.items.map((it) => it.word) ?? []
    };
  }
  /** Re-render both lists; `point` is re-derived as words may have been plotted since. */
  render() {
    const handlers = this.host.handlers();
    const plotted = this.results || this.neighbours ? this.host.data()?.words : void 0;
    const withPoints = (items) => items.map((it) => ({ ...it, point: plotted?.pointOf(it.word) ?? -1 }));
    const rl = this.results;
    const unplotted = rl?.unplotted !== void 0 && !plotted?.has(rl.unplotted);
    setTitle(this.layout.resultsTitle, rl ? unplotted ? `${rl.title} (not plotted)` : rl.title : null);
    setList(this.layout.results, withPoints(rl?.items ?? []), handlers);
    if (this.neighbours) setTitle(this.layout.neighboursTitle, `Nearest to ${this.neighbours.word}`);
    setList(this.layout.neighbours, withPoints(this.neighbours?.items ?? []), handlers);
    this.host.listsChanged();
  }
  /** Ask for `word`'s neighbours; `since` is when the user acted (for the latency event). */
  async showNeighbours(word, reason, since = performance.now()) {
    try {
      const sent = performance.now();
      const res = await this.client.latest("neighbours", "neighbours", { word, k: this.host.k(), reason });
      if (res === STALE) return;
      const replied = performance.now();
      this.neighbours = res;
      this.render();
      const shown = performance.now();
      const parts = { page: sent - since, roundTrip: replied - sent, render: shown - replied };
      this.host.emit("w2v:neighbours", { word, reason, ms: shown - since, parts });
    } catch (err) {
      this.showError(err);
    }
  }
  showError(err) {
    const suggestions = err instanceof QueryError ? err.suggestions : [];
    const message = err instanceof Error ? err.message : err ? String(err) : "";
    setError(this.layout.error, message, suggestions, this.host.handlers());
  }
  async search(text) {
    this.showError("");
    this.clearCompletions();
    let query;
    try {
      query = parseQuery(text);
    } catch (err) {
      if (err instanceof ParseError) return this.showError(err);
      throw err;
    }
    if (this.host.analogy && query.positive.length === 2 && query.negative.length === 1) {
      this.results = null;
      this.render();
      return this.host.analogy({ a: query.positive[0], b: query.negative[0], c: query.positive[1] });
    }
    this.host.analogy?.(null);
    try {
      const res = await this.client.latest("search", "search", { ...query, k: this.host.k() });
      if (res !== STALE) this.showSearch(res);
    } catch (err) {
      this.showError(err);
    }
  }
  /** A plotted word is focused (its neighbours listed below); analogies and unplotted words are
   * listed as results, with "+ plot" buttons for words not on the map. */
  showSearch(res) {
    const single = res.positive.length === 1 && res.negative.length === 0;
    const word = res.positive[0];
    const plotted = this.host.data()?.words;
    if (single && plotted?.has(word)) {
      this.results = null;
      this.render();
      this.host.focus(word);
    } else if (single) {
      this.results = { title: word, items: [{ word, score: 1, point: -1 }, ...res.items], unplotted: word };
      this.render();
    } else {
      const title = [res.positive.join(" + "), ...res.negative.map((w) => `− ${w}`)].join(" ");
      this.results = { title, items: res.items };
      this.render();
      this.host.fitPoints(res.items.map((it) => plotted?.pointOf(it.word) ?? -1).filter((i) => i >= 0));
    }
    this.host.emit("w2v:search", res);
  }
  clearCompletions() {
    this.completeSoon.cancel();
    this.client.cancel("complete");
    setCompletions(this.layout.completions, [], this.host.handlers());
  }
  async complete(text) {
    const prefix = lastToken(text);
    if (!prefix) return this.clearCompletions();
    try {
      const res = await this.client.latest("complete", "complete", { prefix, limit: 8 });
      if (res !== STALE) setCompletions(this.layout.completions, res.words, this.host.handlers());
    } catch (err) {
      this.showError(err);
    }
  }
  /** Plot a word (the kernel updates the traits), then focus it. */
  async add(word) {
    try {
      const res = await this.client.request("add", { word });
      this.showError("");
      this.host.focus(res.word);
    } catch (err) {
      this.showError(err);
    }
  }
};

// src/backend/vecmath.ts
function makeTable(data, n, dim) {
  if (data.length !== n * dim) throw new Error(`expected ${n}×${dim} values, got ${data.length}`);
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * dim, e = j + dim; j < e; j++) s += data[j] * data[j];
    norms[i] = Math.sqrt(s);
  }
  return { n, dim, data, norms };
}
function unitRow(t, i) {
  const out = new Float32Array(t.dim);
  const inv = t.norms[i] > 0 ? 1 / t.norms[i] : 0;
  for (let j = 0; j < t.dim; j++) out[j] = t.data[i * t.dim + j] * inv;
  return out;
}
function cosineAll(t, q) {
  const out = new Float32Array(t.n);
  const { data, dim } = t;
  for (let i = 0; i < t.n; i++) {
    let s = 0;
    for (let j = 0, o = i * dim; j < dim; j++) s += data[o + j] * q[j];
    out[i] = t.norms[i] > 0 ? s / t.norms[i] : 0;
  }
  return out;
}
function topK(scores, k, exclude = /* @__PURE__ */ new Set()) {
  const idx = [];
  const val = [];
  if (k <= 0) return { indices: idx, scores: val };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (exclude.has(i) || Number.isNaN(s)) continue;
    if (idx.length === k && s <= val[k - 1]) continue;
    let p = idx.length === k ? k - 1 : idx.length;
    if (idx.length < k) {
      idx.push(i);
      val.push(s);
    }
    while (p > 0 && val[p - 1] < s) {
      idx[p] = idx[p - 1];
      val[p] = val[p - 1];
      p--;
    }
    idx[p] = i;
    val[p] = s;
  }
  return { indices: idx, scores: val };
}
function nearest(t, i, k) {
  return topK(cosineAll(t, unitRow(t, i)), k, /* @__PURE__ */ new Set([i]));
}
function signedSum(t, positive, negative) {
  const sum = new Float32Array(t.dim);
  const add = (i, w) => {
    const u = unitRow(t, i);
    for (let j = 0; j < t.dim; j++) sum[j] += w * u[j];
  };
  positive.forEach((i) => add(i, 1));
  negative.forEach((i) => add(i, -1));
  return sum;
}
function unitVector(v) {
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += v[j] * v[j];
  norm = Math.sqrt(norm);
  return norm > 0 ? v.map((x) => x / norm) : v.slice();
}
function analogy(t, positive, negative, k) {
  const mean = unitVector(signedSum(t, positive, negative));
  return topK(cosineAll(t, mean), k, /* @__PURE__ */ new Set([...positive, ...negative]));
}
function prefixIndex(words) {
  const order = Int32Array.from(words.keys());
  order.sort((a, b) => words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : a - b);
  return order;
}
function complete(words, order, prefix, limit) {
  if (limit <= 0) return [];
  let lo = 0, hi = order.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (words[order[mid]] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const hits = [];
  for (let p = lo; p < order.length && words[order[p]].startsWith(prefix); p++) hits.push(order[p]);
  hits.sort((a, b) => a - b);
  return hits.slice(0, limit).map((i) => words[i]);
}

// src/backend/analogy.ts
var METHODS = ["3CosAdd", "3CosMul"];
function analogyScores(t, a, b, c, method) {
  if (method === "3CosAdd") return cosineAll(t, unitVector(signedSum(t, [a, c], [b])));
  const shifted = (i) => cosineAll(t, unitRow(t, i)).map((x) => (1 + x) / 2);
  const [sa, sb, sc] = [shifted(a), shifted(b), shifted(c)];
  return sa.map((x, i) => x * sc[i] / (sb[i] + 1e-6));
}
function analogyRanks(t, a, b, c, k) {
  const out = {};
  for (const method of METHODS) {
    const scores = analogyScores(t, a, b, c, method);
    out[method] = { excluded: topK(scores, k, /* @__PURE__ */ new Set([a, b, c])), included: topK(scores, k) };
  }
  return out;
}

// src/panel/analogy.ts
var MARKED_ANSWERS = 3;
function analogyLabel(a, b, c) {
  return `${a} − ${b} + ${c}`;
}
function placementNote(result, projection) {
  const { a, b, c } = result;
  const where = result.placement === "linear" ? `The ${projection || "PCA"} map is linear, so ✕ is the exact projection of ${analogyLabel(a, b, c)} and the two arrows are the same offset ${a} − ${b}.` : result.placement === "neighbours" ? `A ${projection || "t-SNE"} map is no linear function of the vectors: ✕ is placed at the weighted mean of its 5 nearest plotted words (an approximation), so the arrows need not be parallel.` : "Nothing is plotted: no arrows.";
  return `${where} The arrows are a 2-D projection; the answers come from the full ${result.dim}-dimensional space.`;
}
var AnalogyPanel = class {
  constructor(client, host, projection) {
    this.client = client;
    this.host = host;
    this.projection = projection;
    this.request = null;
    this.result = null;
    this.lists = {};
    this.asked = 0;
    this.title = h("h4", { className: "w2v-title w2v-analogy-title" });
    const close = h("button", { type: "button", className: "w2v-btn w2v-analogy-close", title: "Hide the analogy" }, "×");
    close.addEventListener("click", () => this.clear());
    this.toggle = h("input", { type: "checkbox", className: "w2v-analogy-exclude", checked: true });
    this.toggle.addEventListener("change", () => this.render());
    this.toggleText = h("span", {});
    const columns = METHODS.map((m) => {
      this.lists[m] = h("ol", { className: `w2v-list w2v-analogy-list`, "data-method": m });
      return h("div", { className: "w2v-analogy-col" }, h("h5", { className: "w2v-analogy-method" }, m), this.lists[m]);
    });
    this.why = h("p", { className: "w2v-analogy-why", hidden: true });
    this.note = h("p", { className: "w2v-analogy-note" });
    this.el = h(
      "section",
      { className: "w2v-analogy", hidden: true, "aria-label": "analogy" },
      h("div", { className: "w2v-analogy-head" }, this.title, close),
      h("label", { className: "w2v-analogy-toggle" }, this.toggle, this.toggleText),
      h("div", { className: "w2v-analogy-cols" }, ...columns),
      this.why,
      this.note
    );
  }
  get exclude() {
    return this.toggle.checked;
  }
  /** Ask for `a - b + c` and show it; words not plotted yet are added to the map first. */
  async show(req, fit = true) {
    this.request = req;
    if (req.exclude !== void 0) this.toggle.checked = req.exclude;
    const missing = [req.a, req.b, req.c].filter((w) => !this.host.data()?.words.has(w));
    const seq = ++this.asked;
    try {
      const res = await this.client.latest("analogy", "analogy", { a: req.a, b: req.b, c: req.c, k: req.k ?? this.host.k() });
      if (res === STALE || seq !== this.asked) return;
      this.result = res;
      this.render();
      const plotted = [...this.answerPoints(), ...this.questionPoints()];
      if (fit && plotted.length) this.host.fitPoints(plotted, res.target ?? []);
      this.host.emit("w2v:analogy", res);
      for (const w of [...new Set(missing)]) await this.host.add(w);
    } catch (err) {
      if (seq !== this.asked) return;
      if (err instanceof QueryError) this.host.showError(err);
      else throw err;
    }
  }
  /** The layout changed: ask again (the ✕ is placed by the current layout). */
  relocate() {
    if (this.request && this.result) void this.show({ ...this.request, exclude: this.exclude }, false);
  }
  clear() {
    this.request = null;
    this.result = null;
    this.asked++;
    this.client.cancel("analogy");
    this.render();
  }
  /** Lists of the current toggle state (question words left out or kept in). */
  shownLists() {
    const out = {};
    for (const m of METHODS) out[m] = this.result ? this.result.answers[m][this.exclude ? "excluded" : "included"] : [];
    return out;
  }
  render() {
    const res = this.result;
    this.el.hidden = res === null;
    if (!res) {
      this.host.changed();
      return;
    }
    const plotted = this.host.data()?.words;
    const question = /* @__PURE__ */ new Set([res.a, res.b, res.c]);
    setText(this.title, analogyLabel(res.a, res.b, res.c));
    setText(this.toggleText, ` leave out ${[...question].join(", ")}`);
    const lists = this.shownLists();
    for (const m of METHODS) {
      setList(this.lists[m], lists[m].map((it) => ({ ...it, point: plotted?.pointOf(it.word) ?? -1 })), this.host.handlers());
      lists[m].forEach((it, r) => {
        if (question.has(it.word)) this.lists[m].children[r]?.classList.add("w2v-question-word");
      });
    }
    const winners = METHODS.map((m) => lists[m][0]?.word).filter((w) => w !== void 0 && question.has(w));
    this.why.hidden = this.exclude || winners.length === 0;
    setText(
      this.why,
      winners.length ? `With the question words kept in, “${winners[0]}” itself comes first: ${analogyLabel(res.a, res.b, res.c)} stays close to its own terms. Evaluations (and gensim) leave them out.` : ""
    );
    setText(this.note, placementNote(res, this.projection()));
    this.host.changed();
  }
  questionPoints() {
    const plotted = this.host.data()?.words;
    if (!this.result || !plotted) return [];
    return [this.result.a, this.result.b, this.result.c].map((w) => plotted.pointOf(w)).filter((i) => i >= 0);
  }
  answerPoints() {
    const plotted = this.host.data()?.words;
    if (!plotted) return [];
    const words = Object.values(this.shownLists()).flatMap((items) => items.slice(0, MARKED_ANSWERS).map((it) => it.word));
    return [...new Set(words)].map((w) => plotted.pointOf(w)).filter((i) => i >= 0);
  }
  /** What the overlay draws, or null. */
  marks() {
    const res = this.result;
    if (!res) return null;
    const plotted = this.host.data()?.words;
    if (!plotted) return null;
    const at = (w) => plotted.pointOf(w);
    return { a: at(res.a), b: at(res.b), c: at(res.c), target: res.target, answers: this.answerPoints(), label: ellipsize(displayWord(analogyLabel(res.a, res.b, res.c)), 48) };
  }
};

// src/view.ts
var ExplorerView = class {
  constructor(model, el, client) {
    this.model = model;
    this.client = client;
    this.followBox = buildFollowBox();
    this.pendingFocus = null;
    this.mode = "pan";
    this.wiring = new ViewWiring(model, el);
    this.layout = buildLayout(el, this.panelHandlers());
    this.plot = this.wiring.renderer(this.layout, readTheme(this.layout.root));
    this.panel = new SidePanel(this.layout, client, this.panelHost());
    this.layout.legend.before(this.followBox);
    this.analogy = new AnalogyPanel(client, this.analogyHost(), () => this.model.get("_projection") || "");
    this.layout.error.after(this.analogy.el);
    this.hoverSoon = singleFlight((word, since) => this.panel.showNeighbours(word, "hover", since));
    setMode(this.layout, this.mode);
    this.listen();
    this.refreshData();
    this.refreshStatus();
    this.showAnalogy();
    this.refreshFollow();
    this.wiring.exposeHandle(this.layout.root, this.debugHandle(client));
  }
  dispose() {
    this.hoverSoon.cancel();
    this.panel.dispose();
    this.wiring.dispose();
  }
  // ---- wiring -------------------------------------------------------------------------------
  listen() {
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
  refreshData() {
    const next = readPlotData((k) => this.model.get(k));
    if (!next) return;
    this.plot.setData(next);
    this.refreshSelection();
    this.refreshLegend();
    this.refreshStatus();
    this.panel.render();
    this.analogy.relocate();
    if (this.pendingFocus && next.words.has(this.pendingFocus)) this.focusWord(this.pendingFocus);
    requestAnimationFrame(() => setTimeout(() => void (next.words.has("") || next.grid), 0));
  }
  pointsOf(words) {
    if (words.length === 0 || !this.plot.data) return [];
    const plotted = this.plot.data.words;
    return words.map((w) => plotted.pointOf(w)).filter((i) => i >= 0);
  }
  refreshSelection() {
    this.plot.selected = new Set(this.pointsOf(this.model.get("selected") ?? []));
    const n = this.plot.selected.size;
    setText(this.layout.selection, n ? `${n} selected` : "");
    this.plot.invalidate(true);
  }
  refreshMarks() {
    const listed = this.panel.listedWords();
    this.plot.marks.pinned = this.pointsOf(this.model.get("pinned") ?? []);
    this.plot.marks.neighbours = this.pointsOf(listed.neighbours);
    this.plot.marks.source = listed.source === null ? -1 : this.pointsOf([listed.source])[0] ?? -1;
    this.plot.marks.results = this.pointsOf(listed.results);
    this.plot.marks.analogy = this.analogy?.marks() ?? null;
    this.plot.invalidate(false);
  }
  refreshLegend() {
    setLegend(this.layout.legend, this.model.get("_legend") ?? [], this.plot.data?.palette ?? []);
  }
  refreshStatus() {
    const progress = this.model.get("_progress") ?? {};
    const message = this.model.get("_message") ?? {};
    const n = this.plot.data?.words.length ?? 0;
    const transient = [progress.active ? progress.label : null, message.text];
    this.wiring.setStatus(this.layout.status, [`${n.toLocaleString()} words`, this.model.get("_projection")], transient);
    this.layout.status.dataset.level = message.text ? message.level ?? "info" : "";
    this.layout.progress.hidden = !progress.active;
    const fraction = progress.active && typeof progress.fraction === "number" ? Math.min(1, Math.max(0, progress.fraction)) : null;
    this.layout.progress.classList.toggle("w2v-determinate", fraction !== null);
    this.layout.progressBar.style.width = fraction !== null ? `${(100 * fraction).toFixed(1)}%` : "";
    if (fraction !== null) this.layout.progress.setAttribute("aria-valuenow", String(Math.round(100 * fraction)));
    else this.layout.progress.removeAttribute("aria-valuenow");
    this.layout.cancel.hidden = !(progress.active && progress.cancellable && !this.model.get("_standalone"));
  }
  refreshFollow() {
    renderFollow(this.followBox, this.model.get("_follow"), (word) => this.focusWord(word));
  }
  // ---- actions ------------------------------------------------------------------------------
  /** Centre on a plotted word, mark it and list its neighbours; waits if it is not plotted yet. */
  focusWord(word) {
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
  showAnalogy() {
    const q = this.model.get("_analogy");
    if (q && typeof q.a === "string" && typeof q.b === "string" && typeof q.c === "string") {
      void this.analogy.show({ a: q.a, b: q.b, c: q.c, k: q.k, exclude: q.exclude });
    }
  }
  analogyHost() {
    return {
      data: () => this.plot.data,
      k: () => clampInt(this.model.get("k"), 10, 1, this.model.get("max_k")),
      handlers: () => this.panelHandlers(),
      add: (word) => this.client.request("add", { word }),
      changed: () => this.refreshMarks(),
      fitPoints: (points, extra) => this.plot.fitPoints(points, extra),
      showError: (err) => this.panel.showError(err),
      emit: (name, detail) => this.wiring.emit(name, detail)
    };
  }
  setModelList(key, words) {
    this.model.set(key, words);
    this.model.save_changes();
  }
  togglePin(i) {
    const word = this.plot.data.words.at(i);
    const pinned = this.model.get("pinned") ?? [];
    const next = pinned.includes(word) ? pinned.filter((w) => w !== word) : [...pinned, word];
    this.setModelList("pinned", next);
    if (next.includes(word)) void this.panel.showNeighbours(word, "pin");
  }
  selectPoints(points) {
    const words = this.plot.data?.words;
    this.setModelList("selected", words ? points.map((i) => words.at(i)) : []);
  }
  panelHost() {
    return {
      data: () => this.plot.data,
      k: () => clampInt(this.model.get("k"), 10, 1, this.model.get("max_k")),
      focus: (word) => this.focusWord(word),
      fitPoints: (points) => this.plot.fitPoints(points),
      listsChanged: () => this.refreshMarks(),
      emit: (name, detail) => this.wiring.emit(name, detail),
      handlers: () => this.panelHandlers(),
      analogy: (q) => q ? void this.analogy.show(q) : this.analogy.clear()
    };
  }
  panelHandlers() {
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
      cancelLayout: () => void this.client.request("cancel_layout").catch(() => void 0)
    };
  }
  gestureHandlers() {
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
      }
    };
  }
  // ---- test and benchmark handle --------------------------------------------------------------
  debugHandle(client) {
    const plot = this.plot;
    const layout = this.layout;
    const gestureFps = (ms, step) => new Promise((resolve) => {
      let frames = 0;
      const t0 = performance.now();
      const tick = (now2) => {
        step(frames);
        plot.drawNow();
        frames++;
        if (now2 - t0 < ms) requestAnimationFrame(tick);
        else resolve(frames * 1e3 / (performance.now() - t0));
      };
      requestAnimationFrame(tick);
    });
    const word = (i) => plot.data?.words.at(i) ?? null;
    return {
      ...plotHandle(plot, (w) => plot.data?.words.pointOf(w) ?? -1),
      /** The analogy shown: its lists (as toggled), placement, and its arrows in client pixels. */
      analogy: () => {
        const marks = this.analogy.marks();
        if (!marks || !plot.data) return null;
        const r = layout.overlay.getBoundingClientRect();
        const g = analogyGeometry(plot.data.xy, plot.camera, marks);
        const shift = (s) => s ? s.map((v, i) => v + (i % 2 ? r.top : r.left)) : null;
        return {
          result: this.analogy.result,
          exclude: this.analogy.exclude,
          lists: Object.fromEntries(Object.entries(this.analogy.shownLists()).map(([m, items]) => [m, items.map((it) => it.word)])),
          offset: shift(g.offset),
          copy: shift(g.copy),
          target: shift(g.target),
          labels: plot.labels.map(word)
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
      panFps: (ms = 2e3) => gestureFps(ms, (frame) => plot.pan(frame % 40 < 20 ? 3 : -3, 1)),
      /** Frames per second while zooming in and out about the centre for `ms`: a wheel step on
       * every animation frame, drawn as a wheel zoom is. */
      zoomFps: (ms = 2e3) => gestureFps(ms, (frame) => {
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
      }
    };
  }
};

// src/widget.ts
function render({ model, el }) {
  const client = new QueryClient(modelTransport(model));
  if (model.get("_view") === "compare") {
    const dispose = renderCompare(model, el, client);
    return () => {
      dispose();
      client.dispose();
    };
  }
  const view = new ExplorerView(model, el, client);
  return () => {
    view.dispose();
    client.dispose();
  };
}
var widget_default = { render };

// src/backend/local-backend.ts
var PLACE_NEIGHBOURS = 5;
var UnknownWord = class extends Error {
  constructor(word, suggestions) {
    super(`word ${JSON.stringify(word)} is not in the vocabulary${suggestions.length ? `; did you mean ${suggestions.map((s) => JSON.stringify(s)).join(", ")}?` : ""}`);
    this.word = word;
    this.suggestions = suggestions;
  }
};
var LocalBackend = class {
  constructor(words, table, plot, maxK) {
    this.words = words;
    this.table = table;
    this.plot = plot;
    this.maxK = maxK;
    this.lookup = /* @__PURE__ */ new Map();
    this.pointCache = null;
    words.forEach((w, i) => {
      if (!this.lookup.has(w)) this.lookup.set(w, i);
    });
    this.order = prefixIndex(words);
  }
  handle(msg) {
    const id = String(msg.id ?? "");
    try {
      return { id, result: this.answer(msg) };
    } catch (err) {
      const suggestions = err instanceof UnknownWord ? err.suggestions : void 0;
      return { id, error: err instanceof Error ? err.message : String(err), ...suggestions ? { suggestions } : {} };
    }
  }
  answer(msg) {
    const k = clampInt(msg.k, 10, 1, this.maxK);
    switch (msg.type) {
      case "ping":
        return { pong: true };
      case "neighbours": {
        const word = String(msg.word);
        return { word, items: this.items(nearest(this.table, this.index(word), k)) };
      }
      case "complete": {
        const prefix = String(msg.prefix ?? "");
        return { prefix, words: complete(this.words, this.order, prefix, clampInt(msg.limit, 10, 0, 100)) };
      }
      case "search":
        return this.search(strings(msg.positive), strings(msg.negative), k);
      case "add":
        return this.add(String(msg.word));
      case "analogy":
        return this.analogy(msg.a, msg.b, msg.c, k);
      case "cancel_layout":
        return { cancelled: false };
      // the page computes no layouts
      default:
        throw new Error(`unknown query type ${JSON.stringify(msg.type)}`);
    }
  }
  index(word) {
    const i = this.lookup.get(word);
    if (i !== void 0) return i;
    throw new UnknownWord(word, this.suggest(word));
  }
  suggest(word) {
    for (let n = Array.from(word).length - 1; n >= 1; n--) {
      const prefix = Array.from(word).slice(0, n).join("");
      const hits = complete(this.words, this.order, prefix, 5);
      if (hits.length) return hits;
    }
    return [];
  }
  points() {
    const words = this.plot.words();
    if (this.pointCache?.words !== words) {
      const map = /* @__PURE__ */ new Map();
      words.forEach((w, i) => {
        if (!map.has(w)) map.set(w, i);
      });
      this.pointCache = { words, map };
    }
    return this.pointCache.map;
  }
  items(s) {
    const points = this.points();
    return s.indices.map((i, r) => ({ word: this.words[i], score: s.scores[r], point: points.get(this.words[i]) ?? -1 }));
  }
  search(positive, negative, k) {
    if (positive.length === 0) throw new Error("give at least one word with a + sign");
    const pos = positive.map((w) => this.index(w));
    const neg = negative.map((w) => this.index(w));
    return { positive, negative, items: this.items(analogy(this.table, pos, neg, k)) };
  }
  add(word) {
    const v = this.index(word);
    const existing = this.points().get(word);
    if (existing !== void 0) return { word, point: existing };
    const xy = this.plot.xy();
    const codes = this.plot.codes();
    const best = this.nearestPlotted(unitRow(this.table, v));
    const [x, y] = weightedMean(best, xy);
    const code = best.indices.length ? codes[best.indices[0]] : 0;
    return { word, point: this.plot.addPoint(word, x, y, code) };
  }
  /** The plotted words nearest (by cosine) to a unit vector: the ones that place it. */
  nearestPlotted(unit) {
    const all = cosineAll(this.table, unit);
    const plottedScores = this.plot.words().map((w) => {
      const j = this.lookup.get(w);
      return j === void 0 ? -Infinity : all[j];
    });
    return topK(plottedScores, PLACE_NEIGHBOURS);
  }
  analogy(a, b, c, k) {
    if (typeof a !== "string" || typeof b !== "string" || typeof c !== "string") {
      throw new Error("an analogy needs three words a, b, c (a - b + c)");
    }
    const [ia, ib, ic] = [a, b, c].map((w) => this.index(w));
    const ranks = analogyRanks(this.table, ia, ib, ic, k);
    const answers = {};
    for (const m of METHODS) answers[m] = { excluded: this.items(ranks[m].excluded), included: this.items(ranks[m].included) };
    return { a, b, c, dim: this.table.dim, answers, ...this.locate(a, b, c, ia, ib, ic) };
  }
  /** â − b̂ + ĉ on the map: on a linear (PCA) map the weights 1 − 1 + 1 send it exactly to
   * xy_a − xy_b + xy_c; otherwise it sits at the weighted mean of its nearest plotted words. */
  locate(a, b, c, ia, ib, ic) {
    const xy = this.plot.xy();
    if (this.plot.words().length === 0) return { target: null, placement: "none" };
    const linear = this.plot.linearPoints?.() ?? 0;
    const points = [a, b, c].map((w) => this.points().get(w) ?? -1);
    if (points.every((p) => p >= 0 && p < linear)) {
      const [pa, pb, pc] = points;
      const at = (d) => xy[2 * pa + d] - xy[2 * pb + d] + xy[2 * pc + d];
      return { target: [at(0), at(1)], placement: "linear" };
    }
    const best = this.nearestPlotted(unitVector(signedSum(this.table, [ia, ic], [ib])));
    return { target: weightedMean(best, xy), placement: "neighbours" };
  }
};
function weightedMean(best, xy) {
  let sx = 0, sy = 0, sw = 0;
  best.indices.forEach((p, r) => {
    const w = Math.max(best.scores[r], 1e-3);
    sx += w * xy[2 * p];
    sy += w * xy[2 * p + 1];
    sw += w;
  });
  return sw > 0 ? [sx / sw, sy / sw] : [0, 0];
}
function strings(v) {
  return Array.isArray(v) ? v.map(String) : [];
}

// src/standalone.ts
function isEmbeddedArray(v) {
  return typeof v === "object" && v !== null && typeof v.b64 === "string" && "dtype" in v;
}
function toWire(a) {
  const bytes = base64ToBytes(a.b64);
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), dtype: a.dtype, shape: a.shape };
}
var ShimModel = class {
  constructor(state) {
    this.state = state;
    this.handlers = /* @__PURE__ */ new Map();
    this.onSend = () => {
    };
  }
  get(key) {
    return this.state[key];
  }
  set(key, value) {
    this.state[key] = value;
    this.emit(`change:${key}`);
  }
  on(event, cb) {
    if (!this.handlers.has(event)) this.handlers.set(event, /* @__PURE__ */ new Set());
    this.handlers.get(event).add(cb);
  }
  off(event, cb) {
    if (!event) return this.handlers.clear();
    if (!cb) this.handlers.delete(event);
    else this.handlers.get(event)?.delete(cb);
  }
  emit(event, ...args) {
    for (const cb of [...this.handlers.get(event) ?? []]) cb(...args);
  }
  save_changes() {
  }
  send(content) {
    this.onSend(content);
  }
};
function decodeState(state) {
  const out = {};
  for (const [k, v] of Object.entries(state)) out[k] = isEmbeddedArray(v) ? toWire(v) : v;
  return { ...out, _standalone: true };
}
function vectorTable(vocab) {
  const bytes = base64ToBytes(vocab.vectors.b64);
  const n = vocab.words.length;
  const data = vocab.vectors.dtype === "int8" ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return makeTable(data, n, vocab.dim);
}
function mountStandalone(el, payload) {
  const model = new ShimModel(decodeState(payload.state));
  const projected = payload.state._words?.length ?? 0;
  const plot = {
    words: () => model.get("_words"),
    xy: () => new Float32Array(flatXY(model.get("_xy"))),
    codes: () => new Int32Array(flatCodes(model.get("_codes"))),
    addPoint(word, x, y, code) {
      const words = [...plot.words(), word];
      const xy = Float32Array.from([...plot.xy(), x, y]);
      const codes = Int32Array.from([...plot.codes(), code]);
      model.set("_xy", { view: new DataView(xy.buffer), dtype: "float32", shape: [words.length, 2] });
      model.set("_codes", { view: new DataView(codes.buffer), dtype: "int32", shape: [words.length] });
      model.set("_words", words);
      return words.length - 1;
    },
    /** A PCA map is linear in the vectors (analogy arrows exact) up to the points added here. */
    linearPoints: () => model.get("_projection") === "PCA" ? projected : 0
  };
  const backend = new LocalBackend(payload.vocab.words, vectorTable(payload.vocab), plot, Number(payload.state.max_k));
  model.onSend = (msg) => {
    const reply = backend.handle(msg);
    setTimeout(() => model.emit("msg:custom", reply, []), 0);
  };
  return render({ model, el });
}
function flatXY(w) {
  return w ? new Float32Array(copyBytes(w)) : [];
}
function flatCodes(w) {
  return w ? new Int32Array(copyBytes(w)) : [];
}
function copyBytes(w) {
  const v = w.view;
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
}

// src/compare/backend.ts
var RunTable = class _RunTable {
  constructor(words, table) {
    this.words = words;
    this.table = table;
    this.lookup = /* @__PURE__ */ new Map();
    words.forEach((w, i) => {
      if (!this.lookup.has(w)) this.lookup.set(w, i);
    });
  }
  static fromEmbedded(run) {
    return new _RunTable(run.words, vectorTable(run));
  }
  /** `word`'s k nearest words by cosine, or null when this run lacks it. */
  neighbours(word, k, points) {
    const i = this.lookup.get(word);
    if (i === void 0) return null;
    const s = nearest(this.table, i, k);
    return s.indices.map((j, r) => ({ word: this.words[j], score: s.scores[r], point: points(this.words[j]) }));
  }
};
var CompareBackend = class {
  constructor(a, b, points, maxK) {
    this.a = a;
    this.b = b;
    this.points = points;
    this.maxK = maxK;
  }
  handle(msg) {
    const id = String(msg.id ?? "");
    try {
      return { id, result: this.answer(msg) };
    } catch (err) {
      return { id, error: err instanceof Error ? err.message : String(err) };
    }
  }
  answer(msg) {
    if (msg.type === "ping") return { pong: true };
    if (msg.type !== "neighbours") throw new Error(`unknown query type ${JSON.stringify(msg.type)}`);
    if (typeof msg.word !== "string") throw new Error("neighbours needs a word");
    const word = msg.word;
    const k = clampInt(msg.k, 10, 1, this.maxK);
    const a = this.a.neighbours(word, k, this.points);
    const b = this.b.neighbours(word, k, this.points);
    if (!a && !b) throw new Error(`word ${JSON.stringify(word)} is in neither run`);
    return { word, a, b };
  }
};

// src/compare/standalone.ts
function mountCompareStandalone(el, payload) {
  const model = new ShimModel(decodeState(payload.state));
  const plotted = WordList.from(model.get("_words"));
  const backend = new CompareBackend(RunTable.fromEmbedded(payload.runs[0]), RunTable.fromEmbedded(payload.runs[1]), (w) => plotted.pointOf(w), Number(payload.state.max_k));
  model.onSend = (msg) => {
    const reply = backend.handle(msg);
    setTimeout(() => model.emit("msg:custom", reply, []), 0);
  };
  const client = new QueryClient(modelTransport(model));
  const dispose = renderCompare(model, el, client);
  return () => {
    dispose();
    client.dispose();
  };
}

// src/index.ts
var src_default = widget_default;
export {
  src_default as default,
  mountCompareStandalone,
  mountStandalone
};
