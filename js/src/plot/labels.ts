/**
 * Label placement: greedy by priority, four candidate positions around each point, no two
 * labels overlapping and none leaving the view. Collisions are found through a coarse grid.
 */

export interface LabelCandidate {
  /** Point index (used as the key of the result). */
  id: number;
  text: string;
  /** Anchor in CSS pixels. */
  x: number;
  y: number;
  /** Higher first; ties keep input order. */
  priority: number;
  /** Optional group name whose number of placed labels is capped by `quota`. */
  group?: string;
}

export interface PlacedLabel {
  id: number;
  text: string;
  /** Top-left corner and size of the label's box in CSS pixels. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacementOptions {
  width: number;
  height: number;
  /** Box height in CSS pixels (font size plus padding). */
  lineHeight: number;
  /** Gap between the point and its label. */
  offset: number;
  maxLabels?: number;
  quota?: Record<string, number>;
}

const CELL = 48;

class Occupancy {
  private readonly cells = new Map<number, PlacedLabel[]>();

  private *keys(b: PlacedLabel): Iterable<number> {
    for (let cy = Math.floor(b.y / CELL); cy <= Math.floor((b.y + b.h) / CELL); cy++) {
      for (let cx = Math.floor(b.x / CELL); cx <= Math.floor((b.x + b.w) / CELL); cx++) {
        yield cy * 65536 + cx;
      }
    }
  }

  collides(b: PlacedLabel): boolean {
    for (const k of this.keys(b)) {
      for (const o of this.cells.get(k) ?? []) if (overlaps(b, o)) return true;
    }
    return false;
  }

  add(b: PlacedLabel): void {
    for (const k of this.keys(b)) {
      const list = this.cells.get(k);
      if (list) list.push(b);
      else this.cells.set(k, [b]);
    }
  }
}

export function overlaps(a: PlacedLabel, b: PlacedLabel): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function candidatesFor(c: LabelCandidate, w: number, h: number, off: number): PlacedLabel[] {
  const box = (x: number, y: number): PlacedLabel => ({ id: c.id, text: c.text, x, y, w, h });
  return [
    box(c.x + off, c.y - h / 2), // right
    box(c.x - off - w, c.y - h / 2), // left
    box(c.x - w / 2, c.y - off - h), // above
    box(c.x - w / 2, c.y + off), // below
  ];
}

function inside(b: PlacedLabel, width: number, height: number): boolean {
  return b.x >= 0 && b.y >= 0 && b.x + b.w <= width && b.y + b.h <= height;
}

/** Place as many labels as fit, best priority first. `measure` returns a text's box width. */
export function placeLabels(
  candidates: LabelCandidate[],
  measure: (text: string) => number,
  opts: PlacementOptions,
): PlacedLabel[] {
  const order = candidates.map((c, i) => [c, i] as const);
  order.sort((a, b) => b[0].priority - a[0].priority || a[1] - b[1]);
  const occupied = new Occupancy();
  const placed: PlacedLabel[] = [];
  const seen = new Set<number>();
  const used = new Map<string, number>();
  const max = opts.maxLabels ?? Infinity;
  for (const [c] of order) {
    if (placed.length >= max) break;
    if (seen.has(c.id)) continue;
    if (c.group !== undefined && (used.get(c.group) ?? 0) >= (opts.quota?.[c.group] ?? Infinity)) continue;
    const w = measure(c.text);
    for (const b of candidatesFor(c, w, opts.lineHeight, opts.offset)) {
      if (!inside(b, opts.width, opts.height) || occupied.collides(b)) continue;
      occupied.add(b);
      placed.push(b);
      seen.add(c.id);
      if (c.group !== undefined) used.set(c.group, (used.get(c.group) ?? 0) + 1);
      break;
    }
  }
  return placed;
}
