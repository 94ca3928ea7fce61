// The checkout amp-form posts here (step 2 → step 3, for orders). Same order as the cart API:
// verify the caller, read and validate the form, then either place the order for the session the
// cookie names, or — no cookie can reach us — hold the details and redirect to the origin, where
// the shopper confirms before anything is placed (steps 4 and 5: confirm-on-origin.ts,
// place-order-api.ts).
import type { RequestHandler } from 'express';
import { arrivalOf, needsOriginRedirect } from '../flow/3-redirect-to-origin';
import { withSession } from '../flow/with-session';
import type { PlaceOrder } from '../orders/place-order';
import { parseCheckoutDetails } from './checkout-details';
import type { PendingCheckoutStore } from './pending-checkouts';
import { buildPlaceOrderUrl, signPlaceOrder } from './place-order-link';
import { answerPlaced } from './placed-answer';

export interface CheckoutApiDeps {
  publicOrigin: string;
  /** Signs the place-order link (see signed-link.ts). */
  linkKey: Buffer;
  sessions: RequestHandler;
  pending: PendingCheckoutStore;
  placeOrder: PlaceOrder;
}

/** POST paths.checkoutApi, after the AMP CORS gate and the form body (see routes.ts). */
export function checkoutApi(deps: CheckoutApiDeps): RequestHandler {
  const { publicOrigin, linkKey, pending, placeOrder } = deps;

  return async (req, res, next) => {
    const parsed = parseCheckoutDetails(req.body ?? {});
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }

    if (needsOriginRedirect(arrivalOf(req))) {
      // Step 3: the details wait server-side; the link names them by a random id only.
      const pendingId = await pending.hold(parsed.value);
      const ticket = signPlaceOrder(pendingId, linkKey, Date.now());
      res.set('AMP-Redirect-To', buildPlaceOrderUrl(publicOrigin, ticket));
      res.json({});
      return;
    }

    // The cookie (or the origin page itself) is here: place the order now.
    withSession(deps.sessions, req, res, next, async () => {
      const placed = await placeOrder(req.sessionID, parsed.value);
      if (!placed.ok) {
        res.status(400).json({ error: placed.error });
        return;
      }
      answerPlaced(res, publicOrigin, placed.order.number);
    });
  };
}
