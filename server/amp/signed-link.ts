// Every origin link the shop hands out in `AMP-Redirect-To` (step 3 → step 4) is a capability:
// whoever opens it acts. So each one is signed with a server key, expires within minutes, and
// carries a nonce, so the origin acts on it once. The signed payload starts with the link's purpose,
// so a link made for one action (a cart change) can never pass for another (placing an order).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const LINK_TTL_SECONDS = 5 * 60;

export type LinkPurpose = 'cart-change' | 'place-order';

export interface LinkTicket {
  /** Expiry, in Unix seconds. */
  exp: number;
  nonce: string;
  sig: string;
}

export type TicketCheck = 'valid' | 'expired' | 'forged';

/** The signing key for origin links, derived from the session secret (one secret to configure). */
export function deriveLinkKey(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('bestclips:apply-url:v1').digest();
}

/** 128 random bits, URL-safe. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** Signs `fields` (what the link does) for `purpose`, valid for LINK_TTL_SECONDS from `nowMs`. */
export function signLink(
  purpose: LinkPurpose,
  fields: readonly string[],
  key: Buffer,
  nowMs: number,
  nonce = newNonce(),
): LinkTicket {
  const exp = Math.floor(nowMs / 1000) + LINK_TTL_SECONDS;
  return { exp, nonce, sig: signature(purpose, fields, exp, nonce, key) };
}

export function checkLink(
  purpose: LinkPurpose,
  fields: readonly string[],
  ticket: LinkTicket,
  key: Buffer,
  nowMs: number,
): TicketCheck {
  const expected = Buffer.from(signature(purpose, fields, ticket.exp, ticket.nonce, key));
  const given = Buffer.from(ticket.sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
  return ticket.exp * 1000 > nowMs ? 'valid' : 'expired';
}

/** The shapes of `exp`, `nonce` and `sig` in a query string, before the signature is checked. */
export const ticketParams = {
  exp: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number),
  nonce: z.string().regex(/^[\w-]{16,64}$/),
  sig: z.string().regex(/^[\w-]{43}$/),
};

function signature(
  purpose: LinkPurpose,
  fields: readonly string[],
  exp: number,
  nonce: string,
  key: Buffer,
): string {
  // JSON keeps the parts apart whatever they contain.
  const payload = JSON.stringify([purpose, ...fields, exp, nonce]);
  return createHmac('sha256', key).update(payload).digest('base64url');
}
