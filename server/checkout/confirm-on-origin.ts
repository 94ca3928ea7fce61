// Step 4 for orders: the top-level GET that `AMP-Redirect-To` sent the browser to. On the origin
// the session cookie is first-party, so we know whose cart it is — but this GET places nothing.
// Anyone can make a valid link for details of their own choosing and get someone else to open it,
// so the person sees what would be ordered and where it would go, and decides: the page's
// "Place order" button is step 5 (place-order-api.ts). A GET never places an order.
import type { RequestHandler, Response } from 'express';
import type { ShowProblem } from '../amp/problem';
import type { CustomerDetails } from '../orders/order';
import { paths } from '../paths';
import type { PendingCheckoutStore } from './pending-checkouts';
import { checkPlaceOrder, readPlaceOrderQuery } from './place-order-link';

/** The details a link named, claimed by this session: what the confirmation page shows. */
export interface PendingOrder {
  id: string;
  customer: CustomerDetails;
}

/** Renders the confirmation page for this session's cart (provided by the page layer). */
export type ShowConfirmation = (res: Response, pending: PendingOrder) => void;

export interface ConfirmOnOriginDeps {
  /** Key that signed the place-order link in step 3. */
  linkKey: Buffer;
  pending: PendingCheckoutStore;
  showProblem: ShowProblem;
  showConfirmation: ShowConfirmation;
}

const BACK_TO_CHECKOUT = { href: paths.checkout, text: 'Back to checkout' };

const PROBLEMS = {
  notALink: {
    title: 'That link is not valid',
    message: 'This link does not describe an order.',
    link: BACK_TO_CHECKOUT,
  },
  forged: {
    title: 'That link is not valid',
    message: 'This checkout link was changed or was not made by BestClips, so we ignored it.',
    link: BACK_TO_CHECKOUT,
  },
  expired: {
    title: 'That link has expired',
    message:
      'Checkout links work for a few minutes only, and we keep your details no longer than ' +
      'that. Your cart is unchanged: please check out again.',
    link: BACK_TO_CHECKOUT,
  },
  openedElsewhere: {
    title: 'That link was opened elsewhere',
    message:
      'This checkout link was already opened in another browser, so we do not show its details ' +
      'here. Your cart is unchanged: please check out again.',
    link: BACK_TO_CHECKOUT,
  },
};

/**
 * GET paths.placeOrder. The session middleware (step 1) has run: req.sessionID is the shopper's.
 */
export function confirmOnOrigin(deps: ConfirmOnOriginDeps): RequestHandler {
  const { linkKey, pending, showProblem, showConfirmation } = deps;

  return async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const ticket = readPlaceOrderQuery(req.query);
    if (!ticket) {
      showProblem(res, 400, PROBLEMS.notALink);
      return;
    }
    const pendingId = ticket.nonce;

    // A used link (a reload or the back button after the order) shows the order it placed — to
    // the session that placed it; anyone else just sees their own cart.
    const receipt = await pending.receipt(pendingId);
    if (receipt) {
      const mine = receipt.sessionId === req.sessionID;
      res.redirect(303, mine ? paths.order(receipt.orderNumber) : paths.cart);
      return;
    }

    // The signature and the expiry. Opening the link changes nothing but the claim below, so it
    // may be opened again (a reload) until it expires; single use is step 5's.
    const check = checkPlaceOrder(ticket, linkKey, Date.now());
    if (check !== 'valid') {
      showProblem(res, check === 'forged' ? 400 : 410, PROBLEMS[check]);
      return;
    }

    // The first session to open the link claims the details: nobody else is shown the name and
    // address, or can place an order with them. They are gone once the link has expired (or if a
    // flood of checkouts pushed them out).
    const claim = await pending.claim(pendingId, req.sessionID);
    if (claim === 'gone') {
      showProblem(res, 410, PROBLEMS.expired);
      return;
    }
    if (claim === 'opened-elsewhere') {
      showProblem(res, 403, PROBLEMS.openedElsewhere);
      return;
    }
    showConfirmation(res, { id: pendingId, customer: claim.customer });
  };
}
