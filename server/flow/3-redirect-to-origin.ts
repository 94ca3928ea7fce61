// Step 3 of the flow. A cart change that arrives with no session cookie and no AMP-Same-Origin
// header comes from a page on an AMP cache whose browser held our (third-party) cookie back. We
// cannot find the shopper's cart, so we answer with `AMP-Redirect-To`: an origin URL whose query
// string describes the change. The AMP runtime navigates the top window there (step 4).
import type { Request } from 'express';
import { z } from 'zod';
import {
  checkLink,
  signLink,
  ticketParams,
  type LinkTicket,
  type TicketCheck,
} from '../amp/signed-link';
import type { CartChange } from '../cart/cart';
import { paths } from '../paths';
import { hasSessionCookie } from './1-session-cookie';
import { isCartOp, parseCartChange, type RawFields } from './cart-change-input';

export interface ArrivalFacts {
  hasSessionCookie: boolean;
  /** The `AMP-Same-Origin: true` header: the page itself is on our origin. */
  ampSameOrigin: boolean;
}

/** Reads the two facts from the request: the cookie, and `AMP-Same-Origin: true`. */
export function arrivalOf(req: Request): ArrivalFacts {
  return {
    hasSessionCookie: hasSessionCookie(req),
    ampSameOrigin: req.get('amp-same-origin') === 'true',
  };
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

// The change is signed as an origin link (amp/signed-link.ts): the query string stays readable
// (which product, how many); only `exp`, `nonce` and `sig` are opaque.
export function signChange(change: CartChange, key: Buffer, nowMs: number): LinkTicket {
  return signLink('cart-change', changeFields(change), key, nowMs);
}

/** Step 4's check of the signature and expiry (the link is then used in the cart store's step). */
export function checkChange(
  change: CartChange,
  ticket: LinkTicket,
  key: Buffer,
  nowMs: number,
): TicketCheck {
  return checkLink('cart-change', changeFields(change), ticket, key, nowMs);
}

function changeFields(change: CartChange): string[] {
  return [change.op, change.sku, change.op === 'remove' ? '' : String(change.quantity)];
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
