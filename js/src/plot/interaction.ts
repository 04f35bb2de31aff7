/**
 * Pointer gestures on the plot, reported in CSS pixels relative to the plot: hover, click, pan
 * (drag), wheel zoom, lasso (lasso mode or Shift+drag) and box (box mode or Alt+drag).
 */

import type { Mode } from "../types";

export interface GestureHandlers {
  mode(): Mode;
  hover(sx: number, sy: number, time: number): void;
  leave(): void;
  click(sx: number, sy: number, shift: boolean): void;
  pan(dx: number, dy: number): void;
  zoom(sx: number, sy: number, factor: number): void;
  lasso(points: number[] | null, done: boolean): void;
  box(box: [number, number, number, number] | null, done: boolean): void;
}

type Drag = { kind: "pan" | "lasso" | "box"; x0: number; y0: number; x: number; y: number; moved: boolean; points: number[] };

const CLICK_SLOP = 4;

function gestureFor(mode: Mode, e: PointerEvent): Drag["kind"] {
  if (e.shiftKey || mode === "lasso") return "lasso";
  if (e.altKey || mode === "box") return "box";
  return "pan";
}

export function attachGestures(target: HTMLElement, on: GestureHandlers): () => void {
  let drag: Drag | null = null;
  const pos = (e: PointerEvent | WheelEvent) => {
    const r = target.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top] as const;
  };

  const down = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const [x, y] = pos(e);
    drag = { kind: gestureFor(on.mode(), e), x0: x, y0: y, x, y, moved: false, points: [x, y] };
    target.setPointerCapture?.(e.pointerId);
  };

  const move = (e: PointerEvent) => {
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

  const up = (e: PointerEvent) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    target.releasePointerCapture?.(e.pointerId);
    const [x, y] = pos(e);
    if (!d.moved) return on.click(x, y, e.shiftKey);
    if (d.kind === "lasso") on.lasso(d.points, true);
    if (d.kind === "box") on.box([d.x0, d.y0, x, y], true);
  };

  const wheel = (e: WheelEvent) => {
    e.preventDefault();
    const [x, y] = pos(e);
    const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    on.zoom(x, y, Math.exp(-dy * 0.002));
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
