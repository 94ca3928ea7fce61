// The live cart badge: the header's amp-list fetches this (credentials included) on every page,
// on the origin and on caches. Same AMP CORS gate as the cart API. It only reads: without the
// session cookie it answers `{ "known": false }` and creates no session; with one, it reads that
// session's cart without ever setting a cookie.
import type { RequestHandler } from 'express';
import type { CartStore } from '../cart/cart-store';
import { cartSummary } from '../cart/cart-summary';
import type { Catalog } from '../catalog/types';
import { hasSessionCookie } from './1-session-cookie';
import { withSession } from './with-session';

export interface CartSummaryApiDeps {
  catalog: Catalog;
  carts: CartStore;
  /** Finds an existing session, never makes one (see createSessionReader). */
  readSession: RequestHandler;
}

/** GET paths.cartSummary, after the AMP CORS gate. */
export function cartSummaryApi(deps: CartSummaryApiDeps): RequestHandler {
  const { catalog, carts, readSession } = deps;

  return (req, res, next) => {
    if (!hasSessionCookie(req)) {
      res.json(cartSummary(undefined, catalog));
      return;
    }
    withSession(readSession, req, res, next, async () => {
      res.json(cartSummary(await carts.get(req.sessionID), catalog));
    });
  };
}
