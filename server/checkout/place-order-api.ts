// Step 5 for orders: the confirmation page's "Place order" amp-form posts here, from the origin
// (target=_top, AMP-Same-Origin: true), with one field: the id of the details it showed. The order
// is placed from this session's cart with the details this session claimed in step 4, once: the
// order store places one order per checkout, so a double click or a second tab hears about the
// same order again, whichever request gets there first.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { arrivalOf } from '../flow/3-redirect-to-origin';
import { parseFields, singleField, type RawFields } from '../amp/form-fields';
import { ticketParams } from '../amp/signed-link';
import { withSession } from '../flow/with-session';
import type { PlaceOrder } from '../orders/place-order';
import type { PendingCheckoutStore } from './pending-checkouts';
import { answerPlaced } from './placed-answer';

export interface PlaceOrderApiDeps {
  publicOrigin: string;
  sessions: RequestHandler;
  pending: PendingCheckoutStore;
  placeOrder: PlaceOrder;
}

/** The confirmation form's only field: the id, shaped as the shop makes them. */
const placeOrderForm = z.strictObject({
  pending: singleField('The checkout id').refine(
    (id) => ticketParams.nonce.safeParse(id).success,
    'The checkout id is not one BestClips made.',
  ),
});
const readPlaceOrderForm = (fields: RawFields) => parseFields(placeOrderForm, fields);

export const PLACE_ORDER_ERRORS = {
  notOnOrigin: 'Please confirm your order on the BestClips site itself.',
  gone:
    'We no longer have the details of this checkout (it expired, or was used). Your cart is ' +
    'unchanged: please check out again.',
};

/**
 * POST paths.placeOrderApi. The AMP CORS gate first (see routes.ts): a post from any other site is
 * refused (403) before anything happens.
 */
export function placeOrderApi(deps: PlaceOrderApiDeps): RequestHandler {
  const { publicOrigin, pending, placeOrder } = deps;

  return (req, res, next) => {
    // The confirmation page only exists on the origin; even the shop's cache pages may not confirm.
    if (!arrivalOf(req).ampSameOrigin) {
      res.status(403).json({ error: PLACE_ORDER_ERRORS.notOnOrigin });
      return;
    }
    const form = readPlaceOrderForm(req.body ?? {});
    if (!form.ok) {
      res.status(400).json({ error: form.error });
      return;
    }
    const pendingId = form.value.pending;

    withSession(deps.sessions, req, res, next, async () => {
      // Only the session that was shown the details (step 4) can use them. To anyone else an id
      // it never opened looks like one that does not exist.
      const customer = await pending.claimedDetails(pendingId, req.sessionID);
      if (!customer) {
        // Placed already (a replay, or the other of two clicks): the receipt names the order.
        // It is written before the details go, so one of the two is always there.
        const receipt = await pending.receipt(pendingId);
        if (receipt?.sessionId === req.sessionID) {
          answerPlaced(res, publicOrigin, receipt.orderNumber);
        } else {
          res.status(410).json({ error: PLACE_ORDER_ERRORS.gone });
        }
        return;
      }
      // Two clicks at once both get here: the order store places one order for this checkout and
      // gives both the same one.
      const placed = await placeOrder(req.sessionID, customer, pendingId);
      if (!placed.ok) {
        res.status(409).json({ error: placed.error });
        return;
      }
      const { number } = placed.order;
      await pending.recordReceipt(pendingId, { sessionId: req.sessionID, orderNumber: number });
      answerPlaced(res, publicOrigin, number);
    });
  };
}
