// The cart change carried by the apply URL (step 3 → step 4), signed as an origin link (see
// signed-link.ts). The query string stays readable (which product, how many); only `exp`, `nonce`
// and `sig` are opaque.
import type { CartChange } from '../cart/cart';
import { checkLink, signLink, type LinkTicket, type TicketCheck } from '../amp/signed-link';

export function signChange(change: CartChange, key: Buffer, nowMs: number): LinkTicket {
  return signLink('cart-change', changeFields(change), key, nowMs);
}

export function checkTicket(
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
