/**
 * At most one call in flight, the latest waiting: a hover asks the kernel at once (no debounce
 * delay), and the pointer crossing many points while an answer is on its way queues only the
 * last of them, so the kernel never works through a backlog of stale hovers.
 */

export type SingleFlight<A extends unknown[]> = ((...args: A) => void) & {
  /** Drop the waiting call (the one in flight still finishes). */
  cancel(): void;
  /** True while a call is in flight. */
  readonly busy: boolean;
};

export function singleFlight<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): SingleFlight<A> {
  let busy = false;
  let waiting: A | null = null;
  const run = (args: A): void => {
    busy = true;
    let done: Promise<unknown>;
    try {
      done = Promise.resolve(fn(...args));
    } catch (err) {
      done = Promise.reject(err);
    }
    void done
      .catch(() => undefined)
      .then(() => {
        busy = false;
        const next = waiting;
        waiting = null;
        if (next) run(next);
      });
  };
  const call = (...args: A): void => {
    if (busy) waiting = args;
    else run(args);
  };
  return Object.defineProperties(call, {
    cancel: { value: () => void (waiting = null) },
    busy: { get: () => busy },
  }) as SingleFlight<A>;
}
