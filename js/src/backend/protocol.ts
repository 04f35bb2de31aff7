/**
 * Queries to the kernel as custom messages. Each request carries an `id`; the reply carries the
 * same `id` with either `result` or `error` (plus optional `suggestions`). Pending requests wait
 * in a map of promises. Requests on a *channel* (e.g. "hover") supersede earlier ones on the
 * same channel: a late reply to a superseded request resolves to `STALE` and is ignored. The
 * channel travels with the request, so the kernel may answer a superseded one at once (an error
 * marked `superseded`) instead of computing it (w2v_widgets/widgets/explorer/dispatch.py).
 */

export interface Transport {
  send(msg: Record<string, unknown>): void;
  /** Subscribe to incoming messages; returns the unsubscribe function. */
  subscribe(handler: (msg: unknown) => void): () => void;
}

export interface Reply {
  id: string;
  result?: unknown;
  error?: string;
  suggestions?: string[];
}

export class QueryError extends Error {
  constructor(
    message: string,
    readonly suggestions: string[] = [],
  ) {
    super(message);
    this.name = "QueryError";
  }
}

export const STALE: unique symbol = Symbol("stale");
export type Stale = typeof STALE;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  channel?: string;
  seq: number;
  started: number;
  type: string;
}

export interface ClientOptions {
  timeoutMs?: number;
  /** Called with each answered query's type and round-trip time in ms. */
  onTiming?: (type: string, ms: number) => void;
}

let clientCounter = 0;

/** `v` rounded into `[lo, hi]`, or `dflt` when it is not a finite number. */
export function clampInt(v: unknown, dflt: number, lo: number, hi: number): number {
  const n = typeof v === "number" && Number.isFinite(v) ? Math.round(v) : dflt;
  return Math.min(hi, Math.max(lo, n));
}

export function isReply(msg: unknown): msg is Reply {
  return typeof msg === "object" && msg !== null && typeof (msg as Reply).id === "string" &&
    ("result" in msg || "error" in msg);
}

export class QueryClient {
  private readonly pending = new Map<string, Pending>();
  private readonly latestSeq = new Map<string, number>();
  private readonly prefix: string;
  private counter = 0;
  private readonly unsubscribe: () => void;
  private readonly timeoutMs: number;

  constructor(
    private readonly transport: Transport,
    private readonly opts: ClientOptions = {},
  ) {
    this.prefix = `q${(clientCounter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.timeoutMs = opts.timeoutMs ?? 15000;
    this.unsubscribe = transport.subscribe((msg) => this.handle(msg));
  }

  /** Send a query and wait for its answer. Rejects with QueryError on `{id, error}`. */
  request<T>(type: string, payload: Record<string, unknown> = {}): Promise<T> {
    return this.start<T>(type, payload) as Promise<T>;
  }

  /** Like `request`, but a newer request on `channel` makes this one resolve to STALE. */
  latest<T>(channel: string, type: string, payload: Record<string, unknown> = {}): Promise<T | Stale> {
    return this.start<T>(type, payload, channel);
  }

  /** Forget the current request on `channel` (its reply will be STALE). */
  cancel(channel: string): void {
    this.latestSeq.set(channel, (this.latestSeq.get(channel) ?? 0) + 1);
  }

  private start<T>(type: string, payload: Record<string, unknown>, channel?: string): Promise<T | Stale> {
    const id = `${this.prefix}-${++this.counter}`;
    const seq = channel ? (this.latestSeq.get(channel) ?? 0) + 1 : 0;
    if (channel) this.latestSeq.set(channel, seq);
    return new Promise<T | Stale>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QueryError(`no answer from the kernel to ${type} after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const started = now();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, channel, seq, started, type });
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
  handle(msg: unknown): boolean {
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

  get pendingCount(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.unsubscribe();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve(STALE);
    }
    this.pending.clear();
  }
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

/** Adapt an anywidget model to a Transport. */
export function modelTransport(model: {
  send(content: unknown): void;
  on(event: string, cb: (...args: any[]) => void): void;
  off(event: string, cb: (...args: any[]) => void): void;
}): Transport {
  return {
    send: (msg) => model.send(msg),
    subscribe(handler) {
      const cb = (msg: unknown) => handler(msg);
      model.on("msg:custom", cb);
      return () => model.off("msg:custom", cb);
    },
  };
}

/** Call `fn` once input has been quiet for `ms`; `cancel()` drops a scheduled call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  call.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return call;
}
