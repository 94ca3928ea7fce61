// What the flow's steps report while a cart change or an order travels through them. A step only
// reports facts; whoever listens decides what to keep: the cart page's trace panel (flow-trace.ts)
// and the Prometheus counters (metrics.ts). A step never knows who listens, or whether anyone does.
import type { CartChange } from '../cart/cart';
import type { AmpCaller, CallerRefusal } from '../amp/amp-cors';
import type { ArrivalFacts } from './3-redirect-to-origin';

/**
 * Why an apply link (step 4) changed nothing: its query string does not describe a change
 * (malformed); its signature does not match, so it was tampered with or not made by this shop
 * (forged); it is too old (expired); it was already used — a reload, the back button, a shared
 * link — so the shopper just sees the cart (replayed); the record of used links could not take
 * another (busy); or the cart does not allow the change, e.g. too many of one item (cart-refused).
 */
export const LINK_REFUSALS = [
  'malformed',
  'forged',
  'expired',
  'replayed',
  'busy',
  'cart-refused',
] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];

/** Facts about step 3 (the amp-form POST), for both of its outcomes. */
interface PostFacts {
  change: CartChange;
  /** The item in words, e.g. "Superclip (Natural soy, pack of 100)". */
  item: string;
  caller: AmpCaller;
  arrival: ArrivalFacts;
  /** flowClock() when the step began. */
  startedAt: number;
}

export type FlowEvent =
  /** Step 3, direct: the cookie came along, and the change was applied to that session's cart. */
  | ({ type: 'change-applied'; sessionId: string } & PostFacts)
  /** Step 3, redirect: the change left for the origin in an apply link with this nonce. */
  | ({ type: 'change-redirected'; nonce: string } & PostFacts)
  /** Step 4: the apply link with this nonce changed this session's cart. */
  | { type: 'link-applied'; nonce: string; sessionId: string; cookie: boolean; startedAt: number }
  /** Step 4: an apply link changed nothing. */
  | { type: 'link-refused'; reason: LinkRefusal }
  /** After step 4: the browser kept the session cookie it was given. */
  | { type: 'cookie-kept'; sessionId: string }
  /** The cart page was shown to this session: the last hop of a redirected change. */
  | { type: 'cart-shown'; sessionId: string }
  | { type: 'caller-refused'; reason: CallerRefusal }
  | { type: 'order-placed' }
  /** A store (Redis) could not answer: the request got a 503. */
  | { type: 'store-unavailable' };

/**
 * Listens to the flow. A step awaits it before answering when the next hop depends on what it keeps
 * (the trace panel, whose next hop may reach another instance); a listener that returns nothing
 * costs the step nothing.
 */
export type FlowObserver = (event: FlowEvent) => void | Promise<void>;

/**
 * One observer that tells each of `observers`. It never fails: what a listener keeps is for people
 * watching the flow, and a change already applied must not be answered with an error because a
 * listener could not keep it (its store is down); that is logged instead.
 */
export function observeAll(
  observers: readonly FlowObserver[],
  onError: (error: unknown, event: FlowEvent) => void,
): FlowObserver {
  return async (event) => {
    await Promise.all(
      observers.map(async (observer) => {
        try {
          await observer(event);
        } catch (error) {
          onError(error, event);
        }
      }),
    );
  };
}

/**
 * A wall clock in milliseconds, with the sub-millisecond precision of `performance.now()`: how long
 * a step took, and when each hop happened — hops recorded by different instances compare, as long
 * as their clocks are in sync.
 */
export const flowClock = (): number => performance.timeOrigin + performance.now();
