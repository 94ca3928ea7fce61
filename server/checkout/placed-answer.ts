// What an amp-form that placed an order hears back, wherever it was placed (the checkout form on a
// page that had the cookie, or the confirmation page's "Place order"): a sentence for its
// submit-success template, and `AMP-Redirect-To` the order's confirmation page on the origin.
import type { Response } from 'express';
import { paths } from '../paths';

export function answerPlaced(res: Response, publicOrigin: string, orderNumber: string): void {
  res.set('AMP-Redirect-To', new URL(paths.order(orderNumber), publicOrigin).href);
  res.json({ message: `Thank you! Your order ${orderNumber} is placed.`, orderNumber });
}
