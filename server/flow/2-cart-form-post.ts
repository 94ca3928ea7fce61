// The cart API that amp-forms post to (step 2 → step 3). Order matters: verify the caller, read the
// form, then either redirect to the origin (no cookie can reach us) or change the session's cart.
import type { RequestHandler, Response } from 'express';
import { countItems, variantLabel } from '../cart/cart';
import type { CartStore } from '../cart/cart-store';
import type { Catalog } from '../catalog/types';
import { paths } from '../paths';
import { isCartOp, parseCartChange } from './cart-change-input';
import { arrivalOf, buildApplyUrl, needsOriginRedirect, signChange } from './3-redirect-to-origin';
import type { AmpCaller } from '../amp/amp-cors';
import { flowClock, type FlowObserver } from './flow-events';
import { recordCartChange, withSession } from './with-session';

export interface CartFormPostDeps {
  publicOrigin: string;
  /** Signs the change carried by AMP-Redirect-To (see 3-redirect-to-origin.ts). */
  linkKey: Buffer;
  catalog: Catalog;
  carts: CartStore;
  sessions: RequestHandler;
  /** Told what happened to each change (the trace panel, the metrics). */
  observe?: FlowObserver;
}

/** POST paths.cartApiRoute, after the AMP CORS gate and the form body (see routes.ts). */
export function changeCart(deps: CartFormPostDeps): RequestHandler {
  const { catalog, carts, publicOrigin, linkKey } = deps;

  return async (req, res, next) => {
    const startedAt = flowClock();
    const op = req.params.op;
    if (!isCartOp(op)) {
      res.status(404).json({ error: 'There is no such cart action.' });
      return;
    }
    const parsed = parseCartChange(op, req.body ?? {});
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    const ref = catalog.findVariant(parsed.change.sku);
    if (!ref) {
      res.status(400).json({ error: 'That product is not in our catalog.' });
      return;
    }

    const arrival = arrivalOf(req);
    const item = `${ref.product.name} (${variantLabel(ref.variant)})`;
    const caller: AmpCaller = res.locals.ampCaller;
    const facts = { change: parsed.change, item, caller, arrival, startedAt };
    if (needsOriginRedirect(arrival)) {
      // Step 3: hand the change to the origin in a top-level navigation, where cookies are first-party.
      const ticket = signChange(parsed.change, linkKey, Date.now());
      res.set('AMP-Redirect-To', buildApplyUrl(publicOrigin, parsed.change, item, ticket));
      // Told before answering: the apply GET that follows may reach another instance.
      await deps.observe?.({ type: 'change-redirected', nonce: ticket.nonce, ...facts });
      res.json({});
      return;
    }

    // Every other request: the session cookie (or the origin page itself) is here; apply directly.
    withSession(deps.sessions, req, res, next, async () => {
      const result = await carts.apply(req.sessionID, parsed.change);
      if (!result.ok) {
        res.status(400).json({ error: result.error });
        return;
      }
      await recordCartChange(req);
      await deps.observe?.({ type: 'change-applied', sessionId: req.sessionID, ...facts });
      if (op !== 'add') showUpdatedCart(res, publicOrigin);
      res.json({ message: result.message, cartCount: countItems(result.cart) });
    });
  };
}

// Quantity changes and removals come from the cart page (or a product page's "already in your
// cart?" forms): send the shopper to the updated cart. Adding keeps them on the product page.
function showUpdatedCart(res: Response, publicOrigin: string): void {
  res.set('AMP-Redirect-To', new URL(paths.cart, publicOrigin).href);
}
