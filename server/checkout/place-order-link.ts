// The `AMP-Redirect-To` link for an order placed from a cache page without the cookie: an origin
// URL that carries no personal data at all — only the id the details wait under (which is also the
// link's single-use nonce), its expiry and its signature.
import { z } from 'zod';
import type { RawFields } from '../amp/form-fields';
import {
  checkLink,
  signLink,
  ticketParams,
  type LinkTicket,
  type TicketCheck,
} from '../amp/signed-link';
import { paths } from '../paths';

export function signPlaceOrder(pendingId: string, key: Buffer, nowMs: number): LinkTicket {
  return signLink('place-order', [], key, nowMs, pendingId);
}

export function checkPlaceOrder(ticket: LinkTicket, key: Buffer, nowMs: number): TicketCheck {
  return checkLink('place-order', [], ticket, key, nowMs);
}

/** Always on the configured public origin, always absolute: `/checkout/place?pending=…&exp=…&sig=…`. */
export function buildPlaceOrderUrl(publicOrigin: string, ticket: LinkTicket): string {
  const url = new URL(paths.placeOrder, publicOrigin);
  url.searchParams.set('pending', ticket.nonce);
  url.searchParams.set('exp', String(ticket.exp));
  url.searchParams.set('sig', ticket.sig);
  return url.href;
}

const querySchema = z.strictObject({
  pending: ticketParams.nonce,
  exp: ticketParams.exp,
  sig: ticketParams.sig,
});

/** The inverse of buildPlaceOrderUrl; anything else in the query makes it not a checkout link. */
export function readPlaceOrderQuery(query: RawFields): LinkTicket | undefined {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) return undefined;
  const { pending, exp, sig } = parsed.data;
  return { nonce: pending, exp, sig };
}
