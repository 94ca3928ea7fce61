// Step 3 of the flow. A cart change that arrives with no session cookie and no AMP-Same-Origin
// header comes from a page on an AMP cache whose browser held our (third-party) cookie back. We
// cannot find the shopper's cart, so we answer with `AMP-Redirect-To`: an origin URL whose query
// string describes the change. The AMP runtime navigates the top window there (step 4).
import { z } from 'zod';
import type { CartChange } from '../cart/cart';
import { paths } from '../paths';
import { isCartOp, parseCartChange, type RawFields } from './cart-change-input';
import { ticketParams, type LinkTicket } from '../amp/signed-link';

export interface ArrivalFacts {
  hasSessionCookie: boolean;
  /** The `AMP-Same-Origin: true` header: the page itself is on our origin. */
  ampSameOrigin: boolean;
}

/** The article's test: `!request.cookies.session_id && request.headers['amp-same-origin'] !== 'true'`. */
export function needsOriginRedirect(facts: ArrivalFacts): boolean {
  return !facts.hasSessionCookie && !facts.ampSameOrigin;
}

/**
 * The `AMP-Redirect-To` value: always on the configured public origin (never taken from request
 * headers), always absolute, never carrying `__amp_source_origin`. `item` only makes the URL
 * readable to a person; the change is `op`, `sku` and `quantity`, signed by the ticket.
 */
export function buildApplyUrl(
  publicOrigin: string,
  change: CartChange,
  item: string,
  ticket: LinkTicket,
): string {
  const url = new URL(paths.applyChange, publicOrigin);
  url.searchParams.set('op', change.op);
  url.searchParams.set('sku', change.sku);
  if (change.op !== 'remove') url.searchParams.set('quantity', String(change.quantity));
  url.searchParams.set('item', item);
  url.searchParams.set('exp', String(ticket.exp));
  url.searchParams.set('nonce', ticket.nonce);
  url.searchParams.set('sig', ticket.sig);
  return url.href;
}

export type ApplyQuery =
  { ok: true; change: CartChange; ticket: LinkTicket } | { ok: false; error: string };

const ticketSchema = z.strictObject(ticketParams);

const NOT_A_CHANGE = 'This link does not describe a cart change.';

/** Reads the change back from the apply URL's query string (the inverse of buildApplyUrl). */
export function readApplyQuery(query: RawFields): ApplyQuery {
  const { op, item: _readableOnly, exp, nonce, sig, ...fields } = query;
  if (!isCartOp(op)) return { ok: false, error: NOT_A_CHANGE };
  const ticket = ticketSchema.safeParse({ exp, nonce, sig });
  if (!ticket.success) return { ok: false, error: NOT_A_CHANGE };
  const parsed = parseCartChange(op, fields);
  return parsed.ok ? { ok: true, change: parsed.change, ticket: ticket.data } : parsed;
}
