// Step 3 of the flow. A cart change that arrives with no session cookie and no AMP-Same-Origin
// header comes from a page on an AMP cache whose browser held our (third-party) cookie back. We
// cannot find the shopper's cart, so we answer with `AMP-Redirect-To`: an origin URL whose query
// string describes the change. The AMP runtime navigates the top window there (step 4).
import type { CartChange } from '../cart/cart';
import { paths } from '../paths';
import { isCartOp, parseCartChange, type ParsedChange, type RawFields } from './cart-change-input';

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
 * readable to a person; the change itself is `op`, `sku` and `quantity`.
 */
export function buildApplyUrl(publicOrigin: string, change: CartChange, item: string): string {
  const url = new URL(paths.applyChange, publicOrigin);
  url.searchParams.set('op', change.op);
  url.searchParams.set('sku', change.sku);
  if (change.op !== 'remove') url.searchParams.set('quantity', String(change.quantity));
  url.searchParams.set('item', item);
  return url.href;
}

/** Reads the change back from the apply URL's query string (the inverse of buildApplyUrl). */
export function readApplyQuery(query: RawFields): ParsedChange {
  const { op, item: _readableOnly, ...fields } = query;
  if (!isCartOp(op)) return { ok: false, error: 'This link does not describe a cart change.' };
  return parseCartChange(op, fields);
}
