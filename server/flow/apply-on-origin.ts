// Step 4 of the flow: the top-level GET the AMP-Redirect-To header sent the browser to. Here on the
// origin the session cookie is first-party: read it or create it, apply the change, and redirect to
// a clean URL so the change is never repeated by a reload, a back button or a shared link.
import { Router, type Response } from 'express';
import type { CartStore } from '../cart/cart-store';
import type { Catalog } from '../catalog/types';
import { paths } from '../paths';
import type { NonceStore } from './nonce-store';
import { readApplyQuery } from './redirect-to-origin';
import { hasSessionCookie } from './session';
import { checkTicket } from './signed-change';

export interface Problem {
  title: string;
  message: string;
  link: { href: string; text: string };
}

/** Renders a friendly AMP page explaining what went wrong (provided by the page layer). */
export type ShowProblem = (res: Response, status: number, problem: Problem) => void;

export interface ApplyOnOriginDeps {
  catalog: Catalog;
  carts: CartStore;
  showProblem: ShowProblem;
  /** Key that signed the change in step 3, and the record of changes already applied. */
  changeKey: Buffer;
  nonces: NonceStore;
  now?: () => number;
}

const BACK_TO_SHOP = { href: paths.home, text: 'Back to the shop' };

export function createApplyOnOrigin(deps: ApplyOnOriginDeps): Router {
  const { catalog, carts, showProblem, changeKey, nonces, now = Date.now } = deps;
  const router = Router();

  // The session middleware (step 1) has run: req.sessionID is the shopper's, new or not.
  router.get(paths.applyChange, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const parsed = readApplyQuery(req.query);
    if (!parsed.ok) {
      showProblem(res, 400, {
        title: 'That link is not valid',
        message: parsed.error,
        link: BACK_TO_SHOP,
      });
      return;
    }
    const { change, ticket } = parsed;
    const product = catalog.findVariant(change.sku)?.product;
    const backToProduct = product
      ? { href: paths.product(product.slug), text: `Back to ${product.name}` }
      : BACK_TO_SHOP;

    // Verify the signature and expiry, and consume the nonce, before touching any cart.
    const check = checkTicket(change, ticket, changeKey, now());
    if (check === 'forged') {
      showProblem(res, 400, {
        title: 'That link is not valid',
        message: 'This cart link was changed or was not made by BestClips, so we ignored it.',
        link: backToProduct,
      });
      return;
    }
    if (check === 'expired') {
      showProblem(res, 410, {
        title: 'That link has expired',
        message: 'Cart links work for a few minutes only. Please add the item again.',
        link: backToProduct,
      });
      return;
    }
    const use = await nonces.consume(ticket.nonce, ticket.exp * 1000);
    if (use === 'replayed') {
      // Already applied (a reload, the back button, a shared link): just show the cart.
      res.redirect(303, paths.cart);
      return;
    }
    if (use === 'busy') {
      showProblem(res, 503, {
        title: 'Please try again in a moment',
        message: 'We are very busy right now and could not change your cart.',
        link: backToProduct,
      });
      return;
    }

    const arrivedWithCookie = hasSessionCookie(req);
    const result = await carts.apply(req.sessionID, change);
    if (!result.ok) {
      const link = { href: paths.cart, text: 'See your cart' };
      showProblem(res, 400, {
        title: 'We could not change your cart',
        message: result.error,
        link,
      });
      return;
    }
    // A shopper who arrived without a cookie gets one now; the cookie check confirms the browser
    // kept it before showing the cart (and explains, instead of looping, if it did not).
    res.redirect(303, arrivedWithCookie ? paths.cart : paths.cookieCheck);
  });

  router.get(paths.cookieCheck, (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (hasSessionCookie(req)) {
      res.redirect(303, paths.cart);
      return;
    }
    showProblem(res, 200, {
      title: 'Your cart needs cookies',
      message:
        'Your browser did not keep the cookie BestClips uses to remember your cart, so we cannot ' +
        'show what you added. Please allow cookies for this site and try again.',
      link: BACK_TO_SHOP,
    });
  });

  return router;
}
