// The flow trace: what the server really saw while one cart change travelled through the flow,
// kept per session for a few minutes so the cart page can show it. It holds facts and timings
// only: no cookie values, no signatures, no nonces.
import type { LRUCache } from 'lru-cache';
import type { Request } from 'express';
import type { CartChange } from '../cart/cart';
import { boundedLru } from '../memory/bounded-lru';
import type { AmpCaller } from './amp-cors';
import type { ArrivalFacts } from './redirect-to-origin';

export type TraceStep =
  | {
      step: 'post';
      at: number;
      serverMs: number;
      /** Where the page that posted the form was served from. */
      servedBy: 'origin' | 'cache';
      pageOrigin: string;
      cookie: boolean;
      ampSameOrigin: boolean;
      outcome: 'applied' | 'redirected';
    }
  | { step: 'apply'; at: number; serverMs: number; cookie: boolean }
  | { step: 'cookie-check'; at: number }
  | { step: 'cart'; at: number };

export interface FlowTrace {
  /** What the shopper asked for, e.g. "add 2 × Superclip (Natural soy, pack of 100)". */
  change: string;
  steps: TraceStep[];
}

/** A trace is kept this long after it was last written or read. */
export const TRACE_TTL_MS = 10 * 60 * 1000;
const MAX_TRACES = 10_000;

/** Where traces are kept: a redirected change waits under its nonce, then lives under a session. */
export type TraceKind = 'pending' | 'session';

/**
 * The storage under FlowTraces: in this process, or in Redis so that every instance tells the same
 * story (the post may reach one instance, the apply GET another, the cart page a third). Reading
 * renews a trace's expiry; `take` reads and removes in one step.
 */
export interface TraceRecords {
  get(kind: TraceKind, id: string): Promise<FlowTrace | undefined>;
  set(kind: TraceKind, id: string, trace: FlowTrace): Promise<void>;
  take(kind: TraceKind, id: string): Promise<FlowTrace | undefined>;
}

/** Bounded and expiring, like sessions: at most 10,000 of each kind, for 10 idle minutes. */
export class MemoryTraceRecords implements TraceRecords {
  private readonly records: Record<TraceKind, LRUCache<string, FlowTrace>>;

  constructor(now?: () => number) {
    const limits = { maxEntries: MAX_TRACES, idleTtlMs: TRACE_TTL_MS, pruneEveryMs: 60_000, now };
    this.records = { pending: boundedLru(limits), session: boundedLru(limits) };
  }

  async get(kind: TraceKind, id: string): Promise<FlowTrace | undefined> {
    return this.records[kind].get(id);
  }

  async set(kind: TraceKind, id: string, trace: FlowTrace): Promise<void> {
    this.records[kind].set(id, trace);
  }

  async take(kind: TraceKind, id: string): Promise<FlowTrace | undefined> {
    const trace = this.records[kind].get(id);
    this.records[kind].delete(id);
    return trace;
  }
}

export class FlowTraces {
  constructor(private readonly records: TraceRecords = new MemoryTraceRecords()) {}

  /** Step 3, direct path: the change was applied to this session's cart. */
  async applied(sessionId: string, change: string, post: TraceStep): Promise<void> {
    await this.records.set('session', sessionId, { change, steps: [post] });
  }

  /** Step 3, redirect path: the change left for the origin under this nonce. */
  async redirected(nonce: string, change: string, post: TraceStep): Promise<void> {
    await this.records.set('pending', nonce, { change, steps: [post] });
  }

  /** Step 4: the apply URL with this nonce was applied to this session's cart. */
  async arrived(nonce: string, sessionId: string, apply: TraceStep): Promise<void> {
    const trace = (await this.records.take('pending', nonce)) ?? {
      change: 'a cart change',
      steps: [],
    };
    await this.records.set('session', sessionId, { ...trace, steps: [...trace.steps, apply] });
  }

  /** A later hop of a redirected change: the cookie check, then the clean cart URL, once each. */
  async followed(sessionId: string, step: TraceStep): Promise<void> {
    const trace = await this.records.get('session', sessionId);
    if (!trace || !trace.steps.some((existing) => existing.step === 'apply')) return;
    if (trace.steps.some((existing) => existing.step === step.step)) return;
    await this.records.set('session', sessionId, { ...trace, steps: [...trace.steps, step] });
  }

  latest(sessionId: string): Promise<FlowTrace | undefined> {
    return this.records.get('session', sessionId);
  }
}

/**
 * Waits for a trace to be kept, and never fails: a change already applied must not be answered
 * with an error because its trace could not be kept (the store is down). That costs the shopper
 * the panel only, so it is logged.
 */
export async function recordTrace(
  req: Request,
  recording: Promise<void> | undefined,
): Promise<void> {
  await recording?.catch((error: unknown) => {
    req.log.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      'Flow trace not recorded',
    );
  });
}

/**
 * A wall clock in milliseconds, with the sub-millisecond precision of `performance.now()`: hops
 * recorded by different instances (and processes) compare, as long as their clocks are in sync.
 */
export const traceClock = (): number => performance.timeOrigin + performance.now();

/** Step 3's hop as the server saw it: who posted, what arrived, what was decided, how long it took. */
export function postStep(
  caller: AmpCaller,
  arrival: ArrivalFacts,
  outcome: 'applied' | 'redirected',
  startedAt: number,
): TraceStep {
  return {
    step: 'post',
    at: startedAt,
    serverMs: traceClock() - startedAt,
    servedBy: caller.from,
    pageOrigin: caller.origin,
    cookie: arrival.hasSessionCookie,
    ampSameOrigin: arrival.ampSameOrigin,
    outcome,
  };
}

/** "add 2 × Superclip (Natural soy, pack of 100)", for the panel's heading. */
export function changeLabel(change: CartChange, item: string): string {
  if (change.op === 'add') return `add ${change.quantity} × ${item}`;
  if (change.op === 'set') return `set ${item} to ${change.quantity}`;
  return `remove ${item}`;
}
