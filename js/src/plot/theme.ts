/**
 * Colours for canvas drawing, read from JupyterLab's CSS variables (the standalone page defines
 * the same variables for light and dark), and a watcher for theme switches.
 */

export interface Theme {
  background: string;
  text: string;
  muted: string;
  border: string;
  accent: string;
  hover: string;
  labelBackground: string;
  font: string;
  dark: boolean;
}

const LIGHT: Theme = {
  background: "#ffffff",
  text: "rgba(0, 0, 0, 0.87)",
  muted: "rgba(0, 0, 0, 0.54)",
  border: "#bdbdbd",
  accent: "#1976d2",
  hover: "#f57c00",
  labelBackground: "rgba(255, 255, 255, 0.85)",
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  dark: false,
};

const DARK: Theme = {
  ...LIGHT,
  background: "#111111",
  text: "rgba(255, 255, 255, 1)",
  muted: "rgba(255, 255, 255, 0.54)",
  border: "#616161",
  accent: "#64b5f6",
  hover: "#ffb74d",
  labelBackground: "rgba(17, 17, 17, 0.85)",
};

/** Parse `#rgb`, `#rrggbb` or `rgb(a)(…)` into [r, g, b]; null when unrecognised. */
export function parseColor(css: string): [number, number, number] | null {
  const s = css.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as [number, number, number];
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}

export function isDarkColor(css: string): boolean {
  const rgb = parseColor(css);
  if (!rgb) return false;
  const [r, g, b] = rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}

export function withAlpha(css: string, alpha: number): string {
  const rgb = parseColor(css);
  return rgb ? `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})` : css;
}

export function readTheme(el: Element): Theme {
  const style = getComputedStyle(el);
  const v = (name: string) => style.getPropertyValue(name).trim();
  const background = v("--jp-layout-color0");
  const fallback = background ? (isDarkColor(background) ? DARK : LIGHT) : prefersDark() ? DARK : LIGHT;
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
    dark: isDarkColor(bg),
  };
}

function prefersDark(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}

/** Call `onChange` when JupyterLab switches theme or the OS colour scheme changes. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name", "class"] });
  const mq = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  mq?.addEventListener("change", onChange);
  return () => {
    observer.disconnect();
    mq?.removeEventListener("change", onChange);
  };
}
