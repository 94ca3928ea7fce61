// Step 4 for orders: the top-level GET that `AMP-Redirect-To` sent the browser to. On the origin
// the session cookie is first-party, so the order is placed from this session's own cart, with the
// details that waited server-side, and the browser goes on to the order's confirmation page.
import { Router } from 'express';
import { admitLink, linkProblems, type AdmitLinkDeps } from '../flow/admit-link';
import type { PlaceOrder } from '../orders/place-order';
import { paths } from '../paths';
import type { PendingCheckoutStore } from './pending-checkouts';
import { checkPlaceOrder, readPlaceOrderQuery } from './place-order-link';

export interface PlaceOnOriginDeps extends AdmitLinkDeps {
  /** Key that signed the place-order link in step 3. */
  linkKey: Buffer;
  pending: PendingCheckoutStore;
  placeOrder: PlaceOrder;
}

const BACK_TO_CHECKOUT = { href: paths.checkout, text: 'Back to checkout' };
const PROBLEMS = linkProblems(BACK_TO_CHECKOUT, {
  forged: 'This checkout link was changed or was not made by BestClips, so we ignored it.',
  expired:
    'Checkout links work for a few minutes only, and we keep your details no longer than that. ' +
    'Your cart is unchanged: please place your order again.',
  busy: 'We are very busy right now and could not place your order. Your cart is unchanged.',
});

export function createPlaceOnOrigin(deps: PlaceOnOriginDeps): Router {
  const { linkKey, pending, placeOrder, showProblem, now = Date.now } = deps;
  const router = Router();

  // The session middleware (step 1) has run: req.sessionID is the shopper's, new or not.
  router.get(paths.placeOrder, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const ticket = readPlaceOrderQuery(req.query);
    if (!ticket) {
      showProblem(res, 400, {
        title: 'That link is not valid',
        message: 'This link does not describe an order.',
        link: BACK_TO_CHECKOUT,
      });
      return;
    }
    const pendingId = ticket.nonce;

    // A used link (a reload, the back button, a shared copy) never places a second order: it shows
    // the order it placed — to the session that placed it; anyone else just sees their own cart.
    const receipt = await pending.receipt(pendingId);
    if (receipt) {
      const mine = receipt.sessionId === req.sessionID;
      res.redirect(303, mine ? paths.order(receipt.orderNumber) : paths.cart);
      return;
    }

    const check = checkPlaceOrder(ticket, linkKey, now());
    if (!(await admitLink(res, check, ticket, deps, PROBLEMS))) return;

    // The details are gone once the link has expired, or if a flood of checkouts pushed them out.
    const customer = await pending.take(pendingId);
    if (!customer) {
      showProblem(res, 410, PROBLEMS.expired);
      return;
    }
    const placed = await placeOrder(req.sessionID, customer);
    if (!placed.ok) {
      showProblem(res, 409, {
        title: 'Your cart is empty',
        message: `${placed.error} We did not place an order.`,
        link: { href: paths.home, text: 'Browse the shop' },
      });
      return;
    }
    const { number } = placed.order;
    await pending.recordReceipt(pendingId, { sessionId: req.sessionID, orderNumber: number });
    res.redirect(303, paths.order(number));
  });

  return router;
}
