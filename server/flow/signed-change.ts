// The change carried by the AMP-Redirect-To URL (step 3 → step 4) is a capability: whoever opens
// the URL applies it. So it is signed with a server key, expires within minutes, and carries a
// nonce that the apply path consumes once. The query string stays readable (which product, how
// many); only `exp`, `nonce` and `sig` are opaque.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CartChange } from '../cart/cart';

export const CHANGE_TTL_SECONDS = 5 * 60;

export interface ChangeTicket {
  /** Expiry, in Unix seconds. */
  exp: number;
  nonce: string;
  sig: string;
}

export type TicketCheck = 'valid' | 'expired' | 'forged';

/** A signing key for apply URLs, derived from the session secret (one secret to configure). */
export function deriveChangeKey(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('bestclips:apply-url:v1').digest();
}

export function signChange(change: CartChange, key: Buffer, nowMs: number): ChangeTicket {
  const exp = Math.floor(nowMs / 1000) + CHANGE_TTL_SECONDS;
  const nonce = randomBytes(16).toString('base64url');
  return { exp, nonce, sig: signature(change, exp, nonce, key) };
}

export function checkTicket(
  change: CartChange,
  ticket: ChangeTicket,
  key: Buffer,
  nowMs: number,
): TicketCheck {
  const expected = Buffer.from(signature(change, ticket.exp, ticket.nonce, key));
  const given = Buffer.from(ticket.sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
  return ticket.exp * 1000 > nowMs ? 'valid' : 'expired';
}

function signature(change: CartChange, exp: number, nonce: string, key: Buffer): string {
  const quantity = change.op === 'remove' ? '' : String(change.quantity);
  const payload = [change.op, change.sku, quantity, exp, nonce].join('\n');
  return createHmac('sha256', key).update(payload).digest('base64url');
}
