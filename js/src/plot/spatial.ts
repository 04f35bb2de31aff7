/**
 * Hit testing on a uniform grid in data space: nearest point within a radius, points in a
 * rectangle (box selection) and in a polygon (lasso). Built in O(n) with a counting sort.
 */

import { boundsOf, type Bounds } from "./camera";

export class GridIndex {
  readonly bounds: Bounds;
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  constructor(readonly xy: Float32Array, pointsPerCell = 4) {
    const n = xy.length >> 1;
    this.bounds = boundsOf(xy);
    const w = Math.max(this.bounds.x1 - this.bounds.x0, 1e-9);
    const h = Math.max(this.bounds.y1 - this.bounds.y0, 1e-9);
    const cells = Math.max(1, Math.min(n / pointsPerCell, 1 << 20));
    this.cell = Math.max(Math.sqrt((w * h) / cells), Math.max(w, h) / 1024);
    this.nx = Math.max(1, Math.ceil(w / this.cell));
    this.ny = Math.max(1, Math.ceil(h / this.cell));
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

  private col(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.bounds.x0) / this.cell)));
  }

  private row(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.bounds.y0) / this.cell)));
  }

  private cellIndex(x: number, y: number): number {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return -1;
    return this.row(y) * this.nx + this.col(x);
  }

  /** Call `visit(i)` for every point whose cell overlaps the rectangle. */
  private scan(x0: number, y0: number, x1: number, y1: number, visit: (i: number) => void): void {
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
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestD = radius * radius;
    this.scan(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = this.xy[2 * i] - x, dy = this.xy[2 * i + 1] - y;
      const d = dx * dx + dy * dy;
      if (d < bestD || (d === bestD && (best < 0 || i < best))) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }

  /** Points inside the axis-aligned rectangle (corners in any order), ascending. */
  inRect(ax: number, ay: number, bx: number, by: number): number[] {
    const x0 = Math.min(ax, bx), x1 = Math.max(ax, bx), y0 = Math.min(ay, by), y1 = Math.max(ay, by);
    const out: number[] = [];
    this.scan(x0, y0, x1, y1, (i) => {
      const x = this.xy[2 * i], y = this.xy[2 * i + 1];
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
    });
    return out.sort((a, b) => a - b);
  }

  /** Points inside the polygon given as flat [x0, y0, x1, y1, ...], ascending. */
  inPolygon(poly: ArrayLike<number>): number[] {
    if (poly.length < 6) return [];
    const pb = boundsOf(poly);
    const out: number[] = [];
    this.scan(pb.x0, pb.y0, pb.x1, pb.y1, (i) => {
      if (pointInPolygon(this.xy[2 * i], this.xy[2 * i + 1], poly)) out.push(i);
    });
    return out.sort((a, b) => a - b);
  }
}

/** Even-odd rule point-in-polygon test; the polygon is closed implicitly. */
export function pointInPolygon(x: number, y: number, poly: ArrayLike<number>): boolean {
  let inside = false;
  const n = poly.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1];
    const xj = poly[2 * j], yj = poly[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
