// The flow trace: what the server really saw while one cart change travelled through the flow,
// kept per session for a few minutes so the cart page can show it. It holds facts and timings
// only: no cookie values, no signatures, no nonces.
import type { CartChange } from '../cart/cart';
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

/** A trace is kept this long after it was last written or read. */
export const TRACE_TTL_MS = 10 * 60 * 1000;

/** Where traces are kept: a redirected change waits under its nonce, then lives under a session. */
export type TraceKind = 'pending' | 'session';

/**
 * The storage under FlowTraces: in this process (stores/memory/trace-records.ts), or in Redis
 * (stores/redis/trace-records.ts) so that every instance tells the same story (the post may reach
 * one instance, the apply GET another, the cart page a third). Reading renews a trace's expiry;
 * `take` reads and removes in one step.
 */
export interface TraceRecords {
  get(kind: TraceKind, id: string): Promise<FlowTrace | undefined>;
  set(kind: TraceKind, id: string, trace: FlowTrace): Promise<void>;
  take(kind: TraceKind, id: string): Promise<FlowTrace | undefined>;
}

export class FlowTraces {
  constructor(private readonly records: TraceRecords) {}

  /**
   * Listens to the flow's steps (see flow-events.ts) and keeps what the panel shows. The steps wait
   * for it before answering: the hop that follows may reach another instance, which must find it.
   */
  readonly observe = async (event: FlowEvent): Promise<void> => {
    switch (event.type) {
      case 'change-applied':
        return this.applied(
          event.sessionId,
          changeLabel(event.change, event.item),
          postStep(event),
        );
      case 'change-redirected':
        return this.redirected(event.nonce, changeLabel(event.change, event.item), postStep(event));
      case 'link-applied':
        return this.arrived(event.nonce, event.sessionId, {
          step: 'apply',
          at: event.startedAt,
          serverMs: flowClock() - event.startedAt,
          cookie: event.cookie,
        });
      case 'cookie-kept':
        return this.followed(event.sessionId, { step: 'cookie-check', at: flowClock() });
      case 'cart-shown':
        return this.followed(event.sessionId, { step: 'cart', at: flowClock() });
    }
  };

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
