// The flow trace: what the server really saw while one cart change travelled through the flow,
// kept per session for a few minutes so the cart page can show it. It holds facts and timings
// only: no cookie values, no signatures, no nonces.
import type { LRUCache } from 'lru-cache';
import type { CartChange } from '../cart/cart';
import { boundedLru } from '../memory/bounded-lru';
import { flowClock, type FlowEvent } from './flow-events';

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

const TRACE_TTL_MS = 10 * 60 * 1000;
const MAX_TRACES = 10_000;

export class FlowTraces {
  // A redirected change has no session yet: it waits under its apply URL's nonce.
  private readonly pending: LRUCache<string, FlowTrace>;
  private readonly bySession: LRUCache<string, FlowTrace>;

  constructor(now?: () => number) {
    const limits = { maxEntries: MAX_TRACES, idleTtlMs: TRACE_TTL_MS, pruneEveryMs: 60_000, now };
    this.pending = boundedLru(limits);
    this.bySession = boundedLru(limits);
  }

  /** Step 3, direct path: the change was applied to this session's cart. */
  applied(sessionId: string, change: string, post: TraceStep): void {
    this.bySession.set(sessionId, { change, steps: [post] });
  }

  /** Step 3, redirect path: the change left for the origin under this nonce. */
  redirected(nonce: string, change: string, post: TraceStep): void {
    this.pending.set(nonce, { change, steps: [post] });
  }

  /** Step 4: the apply URL with this nonce was applied to this session's cart. */
  arrived(nonce: string, sessionId: string, apply: TraceStep): void {
    const trace = this.pending.get(nonce) ?? { change: 'a cart change', steps: [] };
    this.pending.delete(nonce);
    this.bySession.set(sessionId, { ...trace, steps: [...trace.steps, apply] });
  }

  /** A later hop of a redirected change: the cookie check, then the clean cart URL, once each. */
  followed(sessionId: string, step: TraceStep): void {
    const trace = this.bySession.get(sessionId);
    if (!trace || !trace.steps.some((existing) => existing.step === 'apply')) return;
    if (trace.steps.some((existing) => existing.step === step.step)) return;
    trace.steps.push(step);
  }

  latest(sessionId: string): FlowTrace | undefined {
    return this.bySession.get(sessionId);
  }

  /** Listens to the flow's steps (see flow-events.ts) and keeps what the panel shows. */
  readonly observe = (event: FlowEvent): void => {
    switch (event.type) {
      case 'change-applied':
        this.applied(event.sessionId, changeLabel(event.change, event.item), postStep(event));
        return;
      case 'change-redirected':
        this.redirected(event.nonce, changeLabel(event.change, event.item), postStep(event));
        return;
      case 'link-applied':
        this.arrived(event.nonce, event.sessionId, {
          step: 'apply',
          at: event.startedAt,
          serverMs: flowClock() - event.startedAt,
          cookie: event.cookie,
        });
        return;
      case 'cookie-kept':
        this.followed(event.sessionId, { step: 'cookie-check', at: flowClock() });
        return;
    }
  };
}

/** Step 3's hop as the server saw it: who posted, what arrived, what was decided, how long it took. */
function postStep(
  event: Extract<FlowEvent, { type: 'change-applied' | 'change-redirected' }>,
): TraceStep {
  return {
    step: 'post',
    at: event.startedAt,
    serverMs: flowClock() - event.startedAt,
    servedBy: event.caller.from,
    pageOrigin: event.caller.origin,
    cookie: event.arrival.hasSessionCookie,
    ampSameOrigin: event.arrival.ampSameOrigin,
    outcome: event.type === 'change-applied' ? 'applied' : 'redirected',
  };
}

/** "add 2 × Superclip (Natural soy, pack of 100)", for the panel's heading. */
function changeLabel(change: CartChange, item: string): string {
  if (change.op === 'add') return `add ${change.quantity} × ${item}`;
  if (change.op === 'set') return `set ${item} to ${change.quantity}`;
  return `remove ${item}`;
}
