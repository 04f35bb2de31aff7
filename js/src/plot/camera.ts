/**
 * Zoom and pan maths. A camera maps data coordinates (y up) to CSS pixels (y down):
 * `sx = (x - cx) * scale + width / 2`, `sy = height / 2 - (y - cy) * scale`.
 */

export interface Camera {
  cx: number;
  cy: number;
  /** CSS pixels per data unit. */
  scale: number;
  width: number;
  height: number;
}

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const MIN_ZOOM = 0.2;
export const MAX_ZOOM = 400;

export function toScreenX(cam: Camera, x: number): number {
  return (x - cam.cx) * cam.scale + cam.width / 2;
}

export function toScreenY(cam: Camera, y: number): number {
  return cam.height / 2 - (y - cam.cy) * cam.scale;
}

export function toWorld(cam: Camera, sx: number, sy: number): [number, number] {
  return [(sx - cam.width / 2) / cam.scale + cam.cx, cam.cy - (sy - cam.height / 2) / cam.scale];
}

/** Bounds of an interleaved (x, y) array, ignoring non-finite values; a unit box when empty. */
export function boundsOf(xy: ArrayLike<number>): Bounds {
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

/** The camera that shows `b` in a `width`×`height` view with `padding` CSS pixels around it. */
export function fitBounds(b: Bounds, width: number, height: number, padding = 24): Camera {
  const w = Math.max(b.x1 - b.x0, 1e-9);
  const h = Math.max(b.y1 - b.y0, 1e-9);
  const availW = Math.max(width - 2 * padding, 1);
  const availH = Math.max(height - 2 * padding, 1);
  const scale = Math.min(availW / w, availH / h);
  return { cx: (b.x0 + b.x1) / 2, cy: (b.y0 + b.y1) / 2, scale, width, height };
}

/** Zoom by `factor` keeping the data point under screen position (sx, sy) fixed. */
export function zoomAt(cam: Camera, sx: number, sy: number, factor: number, base: number): Camera {
  const minScale = base * MIN_ZOOM;
  const maxScale = base * MAX_ZOOM;
  const scale = Math.min(maxScale, Math.max(minScale, cam.scale * factor));
  const [wx, wy] = toWorld(cam, sx, sy);
  const cx = wx - (sx - cam.width / 2) / scale;
  const cy = wy + (sy - cam.height / 2) / scale;
  return { ...cam, cx, cy, scale };
}

/** Move the view by (dx, dy) CSS pixels, as when dragging the content. */
export function panBy(cam: Camera, dx: number, dy: number): Camera {
  return { ...cam, cx: cam.cx - dx / cam.scale, cy: cam.cy + dy / cam.scale };
}

/** A camera centred on (x, y) at `scale`. */
export function centreOn(cam: Camera, x: number, y: number, scale = cam.scale): Camera {
  return { ...cam, cx: x, cy: y, scale };
}

/** Interpolate two cameras; scale moves geometrically so zooming feels even. */
export function lerpCamera(a: Camera, b: Camera, t: number): Camera {
  const s = a.scale * Math.pow(b.scale / a.scale, t);
  return { ...b, cx: a.cx + (b.cx - a.cx) * t, cy: a.cy + (b.cy - a.cy) * t, scale: s };
}

export function resize(cam: Camera, width: number, height: number): Camera {
  return { ...cam, width, height };
}

/** Data-space rectangle currently visible, with a margin in CSS pixels. */
export function visibleBounds(cam: Camera, marginPx = 0): Bounds {
  const [x0, y1] = toWorld(cam, -marginPx, -marginPx);
  const [x1, y0] = toWorld(cam, cam.width + marginPx, cam.height + marginPx);
  return { x0, y0, x1, y1 };
}

export function easeInOut(t: number): number {
  return t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
}
