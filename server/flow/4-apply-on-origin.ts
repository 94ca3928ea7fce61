// Step 4 of the flow: the top-level GET the AMP-Redirect-To header sent the browser to. Here on the
// origin the session cookie is first-party: read it or create it, apply the change, and redirect to
// a clean URL so the change is never repeated by a reload, a back button or a shared link.
//
// The link is single use, and using it up is the same atomic step as applying its change
// (`carts.applyOnce`): were they two steps, a store failing or an instance dying in between would
// leave a used link whose change was lost, and the shopper's retry would only hear "already used".
import type { RequestHandler, Response } from 'express';
import type { Problem, ShowProblem } from '../amp/problem';
import type { CartStore } from '../cart/cart-store';
import type { Catalog } from '../catalog/types';
import { paths } from '../paths';
import { hasSessionCookie } from './1-session-cookie';
import { checkChange, readApplyQuery } from './3-redirect-to-origin';
import { flowClock, type FlowObserver } from './flow-events';
import { recordCartChange } from './with-session';

export interface ApplyOnOriginDeps {
  catalog: Catalog;
  carts: CartStore;
  /** Key that signed the change in step 3. */
  linkKey: Buffer;
  showProblem: ShowProblem;
  /** Told what happened to each link (the trace panel, the metrics). */
  observe?: FlowObserver;
}

const BACK_TO_SHOP = { href: paths.home, text: 'Back to the shop' };

/**
 * GET paths.applyChange. The session middleware (step 1) has run: req.sessionID is the shopper's,
 * new or not.
 */
export function applyOnOrigin(deps: ApplyOnOriginDeps): RequestHandler {
  const { catalog, carts, showProblem, linkKey } = deps;

  return async (req, res) => {
    const startedAt = flowClock();
    res.set('Cache-Control', 'no-store');
    const parsed = readApplyQuery(req.query);
    if (!parsed.ok) {
      deps.observe?.({ type: 'link-refused', reason: 'malformed' });
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

    // Verify the signature and expiry before touching any cart.
    const check = checkChange(change, ticket, linkKey, Date.now());
    if (check !== 'valid') {
      refuseLink(res, check, deps, backToProduct);
      return;
    }

    const arrivedWithCookie = hasSessionCookie(req);
    // Use the link and apply its change in one step: a failure leaves both undone (a 503; the
    // same link works once the store is back), a refused change leaves the link usable.
    const result = await carts.applyOnce(req.sessionID, change, {
      nonce: ticket.nonce,
      expiresAtMs: ticket.exp * 1000,
    });
    if (result === 'replayed') {
      // Already used (a reload, the back button, a shared link): just show the cart.
      deps.observe?.({ type: 'link-refused', reason: 'replayed' });
      res.redirect(303, paths.cart);
      return;
    }
    if (result === 'busy') {
      refuseLink(res, 'busy', deps, backToProduct);
      return;
    }
    if (!result.ok) {
      deps.observe?.({ type: 'link-refused', reason: 'cart-refused' });
      const link = { href: paths.cart, text: 'See your cart' };
      showProblem(res, 400, {
        title: 'We could not change your cart',
        message: result.error,
        link,
      });
      return;
    }
    await recordCartChange(req);
    // Told before redirecting: the next hops may be served by other instances.
    await deps.observe?.({
      type: 'link-applied',
      nonce: ticket.nonce,
      sessionId: req.sessionID,
      cookie: arrivedWithCookie,
      startedAt,
    });
    // A shopper who arrived without a cookie gets one now; the cookie check confirms the browser
    // kept it before showing the cart (and explains, instead of looping, if it did not).
    res.redirect(303, arrivedWithCookie ? paths.cart : paths.cookieCheck);
  };
}

/** GET paths.cookieCheck: after step 4 for a new visitor, did the browser keep the cookie? */
export function cookieCheck(
  deps: Pick<ApplyOnOriginDeps, 'showProblem' | 'observe'>,
): RequestHandler {
  const { showProblem } = deps;
  return async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (hasSessionCookie(req)) {
      // Before the redirect: the cart page it leads to reads the trace (on any instance).
      await deps.observe?.({ type: 'cookie-kept', sessionId: req.sessionID });
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
  };
}

/** What the person is told when a link is refused, each with a way back. */
const LINK_PROBLEMS = {
  forged: {
    status: 400,
    title: 'That link is not valid',
    message: 'This cart link was changed or was not made by BestClips, so we ignored it.',
  },
  expired: {
    status: 410,
    title: 'That link has expired',
    message: 'Cart links work for a few minutes only. Please add the item again.',
  },
  busy: {
    status: 503,
    title: 'Please try again in a moment',
    message: 'We are very busy right now and could not change your cart.',
  },
};

/** Tells the person why the link changed nothing, with a way back, and tells the observers. */
function refuseLink(
  res: Response,
  reason: keyof typeof LINK_PROBLEMS,
  { showProblem, observe }: Pick<ApplyOnOriginDeps, 'showProblem' | 'observe'>,
  link: Problem['link'],
): void {
  const { status, title, message } = LINK_PROBLEMS[reason];
  showProblem(res, status, { title, message, link });
  observe?.({ type: 'link-refused', reason });
}
