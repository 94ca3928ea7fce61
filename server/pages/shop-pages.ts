/// <reference types="express-session" />
// The shop's HTML pages: listing, product, cart, contact and the 404 page (checkout and orders are
// in checkout-pages.ts). Every page shows this shopper's cart count, so every page is per-user and
// must never sit in a shared cache.
import type { Request, RequestHandler, Response } from 'express';
import { relatedProducts } from '../catalog/related-products';
import type { Catalog } from '../catalog/types';
import { priceCart, type Cart } from '../cart/cart';
import type { CartStore } from '../cart/cart-store';
import { cartSummary } from '../cart/cart-summary';
import type { Config } from '../config';
import { CONTACT_MAX_LENGTH } from '../contact/contact-message';
import type { ShowProblem } from '../amp/problem';
import { hasSessionCookie } from '../flow/1-session-cookie';
import type { FlowObserver } from '../flow/flow-events';
import type { FlowTraces } from '../flow/flow-trace';
import { paths } from '../paths';
import { traceView } from './trace-view';
import { cartView } from './cart-view';
import { homeView, listingHref, readListingQuery } from './listing-view';
import { productView } from './product-view';
import type { PageName, PageRenderer } from './renderer';
import type { LayoutView, OriginBanner, PageViews } from './view-models';

export interface PageDeps {
  config: Config;
  catalog: Catalog;
  carts: CartStore;
  renderer: PageRenderer;
  /** Optional: the banner shown on origin pages (a link to the AMP cache copy). */
  originBanner?: (req: Request, canonicalUrl: string) => OriginBanner | undefined;
  /** Told when the cart page is shown (the trace panel, the metrics). */
  observe?: FlowObserver;
  /** Optional: the flow traces shown on the cart page (off with FLOW_TRACE=off). */
  traces?: Pick<FlowTraces, 'latest'>;
}

const BACK_TO_SHOP = { href: paths.home, text: 'Back to the shop' };

export interface PageMeta {
  title: string;
  description: string;
  /** Path (and query) of the page on the shop's origin. */
  path: string;
  /** A page only its owner can see (an order): no link to a cache copy, which would be a 404. */
  personal?: boolean;
}

/** The handlers of the shop's pages (see routes.ts for their URLs). */
export function shopPages(
  deps: PageDeps,
): Record<'home' | 'product' | 'cart' | 'contact', RequestHandler> {
  const { catalog } = deps;
  const send = pageSender(deps);

  const homePage: RequestHandler = (req, res) => {
    const listing = readListingQuery(req.query, catalog.categories);
    const layout = layoutView(deps, req, {
      title: listing.category ?? 'Paper clips, perfected',
      description: 'Paper clips that hold 50 sheets, made from 100% biodegradable soybeans.',
      path: listingHref(listing.category, listing.sort),
    });
    send(res, 200, 'home', homeView(catalog, listing, layout));
  };

  const productPage: RequestHandler = (req, res) => {
    const slug = req.params.slug;
    const product = typeof slug === 'string' ? catalog.findProduct(slug) : undefined;
    if (!product) {
      send(res, 404, 'message', {
        ...layoutView(deps, req, notFoundMeta(req)),
        eyebrow: 'Error 404',
        heading: 'We couldn’t find that product',
        message:
          'It may have been renamed or sold out for good. Everything we sell is in the shop.',
        link: BACK_TO_SHOP,
      });
      return;
    }
    const layout = layoutView(deps, req, {
      title: product.name,
      description: product.description,
      path: paths.product(product.slug),
    });
    send(res, 200, 'product', productView(product, relatedProducts(catalog, product), layout));
  };

  const cartPage: RequestHandler = async (req, res) => {
    const layout = layoutView(deps, req, {
      title: 'Your cart',
      description: 'Your BestClips cart.',
      path: paths.cart,
    });
    const priced = priceCart(shopperCart(req), catalog);
    // The last hop of a redirected change: the clean cart URL. Then show how the change travelled.
    await deps.observe?.({ type: 'cart-shown', sessionId: req.sessionID });
    const trace = await deps.traces?.latest(req.sessionID);
    send(res, 200, 'cart', { ...cartView(priced, layout), trace: trace && traceView(trace) });
  };

  const contactPage: RequestHandler = (req, res) => {
    const layout = layoutView(deps, req, {
      title: 'Contact us',
      description: 'Questions about clips, orders or this demo? Write to BestClips.',
      path: paths.contact,
    });
    send(res, 200, 'contact', { ...layout, maxLength: CONTACT_MAX_LENGTH });
  };

  return { home: homePage, product: productPage, cart: cartPage, contact: contactPage };
}

/** The AMP 404 page for any URL nothing else answered; mount it after every other route. */
export function notFoundHandler(deps: PageDeps): RequestHandler {
  const send = pageSender(deps);
  return (req, res) => {
    send(res, 404, 'message', {
      ...layoutView(deps, req, notFoundMeta(req)),
      eyebrow: 'Error 404',
      heading: 'We couldn’t find that page',
      message:
        'The link may be old or mistyped. Our clips, at least, are right where you left them.',
      link: BACK_TO_SHOP,
    });
  };
}

/** Explains a problem on a full AMP page (used by the flow's apply path). */
export function problemShower(deps: PageDeps): ShowProblem {
  const send = pageSender(deps);
  return (res, status, problem) => {
    const req = res.req;
    send(res, status, 'message', {
      ...layoutView(deps, req, {
        title: problem.title,
        description: problem.message,
        path: req.path,
      }),
      eyebrow: status >= 400 ? 'Something went wrong' : 'One more thing',
      heading: problem.title,
      message: problem.message,
      link: problem.link,
    });
  };
}

export function pageSender({ renderer }: PageDeps) {
  return <P extends PageName>(res: Response, status: number, page: P, view: PageViews[P]) => {
    // Every page carries this shopper's cart count: never store it in a shared cache.
    res.status(status).set('Cache-Control', 'no-store').type('html');
    res.send(renderer.render(page, view));
  };
}

export function layoutView(deps: PageDeps, req: Request, meta: PageMeta): LayoutView {
  const canonicalUrl = deps.config.publicOrigin + meta.path;
  // The badge's server-rendered state, which its amp-list then keeps current (cart-summary-api.ts).
  const badge = cartSummary(knownCart(req), deps.catalog);
  return {
    title: meta.title,
    description: meta.description,
    canonicalUrl,
    cartKnown: badge.known,
    cartCount: badge.known ? badge.count : 0,
    originBanner: meta.personal ? undefined : deps.originBanner?.(req, canonicalUrl),
  };
}

function notFoundMeta(req: Request): PageMeta {
  return { title: 'Page not found', description: 'This page does not exist.', path: req.path };
}

/**
 * Reads the shopper's cart once per request, for the header's count and the cart page.
 * express-session runs before it; without a session there is simply no cart.
 */
export function loadShopperCart(carts: CartStore): RequestHandler {
  return async (req, res, next) => {
    const sessionId: string | undefined = req.sessionID;
    res.locals.cart = sessionId ? await carts.get(sessionId) : [];
    next();
  };
}

function shopperCart(req: Request): Cart {
  return (req.res?.locals.cart as Cart | undefined) ?? [];
}

/**
 * The shopper's cart when the request said whose it is (it came with the session cookie), else
 * undefined. A cookie-less request — the AMP cache fetching a page, or a first visit — gets a
 * brand-new session whose empty cart says nothing about the person who will see the page.
 */
export function knownCart(req: Request): Cart | undefined {
  return hasSessionCookie(req) ? shopperCart(req) : undefined;
}
