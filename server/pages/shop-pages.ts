/// <reference types="express-session" />
// The shop's HTML pages. Two kinds:
// - shared pages (the listing, products, contact, the 404 page): one document per URL, the same
//   for every visitor, built once and served from memory (shared-documents.ts); what is one
//   shopper's reaches them only through the requests they make with credentials (amp-list);
// - the cart page, and the problem pages of the flow, about one shopper: rendered per request,
//   never stored by a cache (checkout and orders are in checkout-pages.ts).
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
import { homeView, listingHref, pageCount, readListingQuery } from './listing-view';
import { productView } from './product-view';
import type { PageName, PageRenderer } from './renderer';
import { NO_STORE, sendPersonal, type BuiltPage, type SharedDocuments } from './shared-documents';
import type { LayoutView, MessageView, OriginBanner, PageViews } from './view-models';

export interface PageDeps {
  config: Config;
  catalog: Catalog;
  carts: CartStore;
  renderer: PageRenderer;
  /** Optional: the banner shown on origin pages (a link to the AMP cache copy of `path`). */
  originBanner?: (path: string) => OriginBanner | undefined;
  /** Told when the cart page is shown (the trace panel, the metrics). */
  observe?: FlowObserver;
  /** Optional: the flow traces shown on the cart page (off with FLOW_TRACE=off). */
  traces?: Pick<FlowTraces, 'latest'>;
}

export interface SharedPageDeps extends PageDeps {
  documents: SharedDocuments;
}

const BACK_TO_SHOP = { href: paths.home, text: 'Back to the shop' };

export interface PageMeta {
  title: string;
  description: string;
  /** Path (and query) of the page on the shop's origin. */
  path: string;
  /**
   * No link to a cache copy: a page only its owner can see (an order), or an error page (a cache
   * keeps no copy of those).
   */
  noCacheCopy?: boolean;
}

/** The handlers of the shared pages (see routes.ts for their URLs). */
export function sharedPages(
  deps: SharedPageDeps,
): Record<'home' | 'product' | 'contact', RequestHandler> {
  const { catalog, documents } = deps;
  const render = renderWith(deps);
  const showError = errorShower(deps);

  // The listing: one document per (category, sort, page) and notices; any other query parameter
  // (a tracking tag, say) names the same document.
  const homePage: RequestHandler = (req, res) => {
    const listing = readListingQuery(req.query, catalog.categories);
    const { category, sort, page, notices } = listing;
    if (listing.badPage) {
      return showError(req, res, 'listing:bad-page', {
        status: 400,
        heading: 'Not a page number',
        message: listing.badPage,
      });
    }
    const products = catalog.list({ category, sort });
    const pages = pageCount(products.length);
    if (page > pages) {
      return showError(req, res, `listing:past-end:${category}:${sort}`, {
        status: 404,
        heading: 'No such page',
        message: `This listing has ${pages} ${pages === 1 ? 'page' : 'pages'}.`,
        link: { href: listingHref(category, sort, pages), text: `Go to page ${pages}` },
      });
    }
    const key = `listing:${category ?? ''}:${sort}:${page}:${notices.join('|')}`;
    return documents.serve(req, res, key, () => {
      const layout = sharedLayout(deps, {
        title: category ?? 'Paper clips, perfected',
        description: 'Paper clips that hold 50 sheets, made from 100% biodegradable soybeans.',
        path: listingHref(category, sort, page),
      });
      return render(200, 'home', homeView(catalog, listing, products, layout));
    });
  };

  const productPage: RequestHandler = (req, res) => {
    const product = catalog.findProduct(String(req.params.slug));
    if (!product) return showError(req, res, 'product:not-found', PRODUCT_NOT_FOUND);
    return documents.serve(req, res, `product:${product.slug}`, () => {
      const layout = sharedLayout(deps, {
        title: product.name,
        description: product.description,
        path: paths.product(product.slug),
      });
      return render(
        200,
        'product',
        productView(product, relatedProducts(catalog, product), layout),
      );
    });
  };

  const contactPage: RequestHandler = (req, res) =>
    documents.serve(req, res, 'contact', () => {
      const layout = sharedLayout(deps, {
        title: 'Contact us',
        description: 'Questions about clips, orders or this demo? Write to BestClips.',
        path: paths.contact,
      });
      return render(200, 'contact', { ...layout, maxLength: CONTACT_MAX_LENGTH });
    });

  return { home: homePage, product: productPage, contact: contactPage };
}

/**
 * The AMP 404 page for any URL nothing else answered (mount it after every other route): one
 * document for every such URL. Shared for GET and HEAD; any other method's answer is not kept.
 */
export function notFoundHandler(deps: SharedPageDeps): RequestHandler {
  const show = notFoundShower(deps);
  return (req, res) => show(req, res, req.method === 'GET' || req.method === 'HEAD');
}

/** Sends the 404 document; `shareable` false for a URL that is one shopper's (an order). */
export function notFoundShower(deps: SharedPageDeps) {
  const showError = errorShower(deps);
  return (req: Request, res: Response, shareable: boolean) =>
    showError(req, res, 'not-found', NOT_FOUND, shareable ? undefined : NO_STORE);
}

interface ErrorText {
  status: number;
  heading: string;
  message: string;
  link?: MessageView['link'];
}

const NOT_FOUND: ErrorText = {
  status: 404,
  heading: 'We couldn’t find that page',
  message: 'The link may be old or mistyped. Our clips, at least, are right where you left them.',
};

const PRODUCT_NOT_FOUND: ErrorText = {
  status: 404,
  heading: 'We couldn’t find that product',
  message: 'It may have been renamed or sold out for good. Everything we sell is in the shop.',
};

/**
 * Sends a shared error page (404, a page number that is not one), built once per `key`: one
 * document for every URL that gets it, so its canonical URL is the shop's home rather than the
 * URL that was asked for.
 */
function errorShower(deps: SharedPageDeps) {
  const render = renderWith(deps);
  return (req: Request, res: Response, key: string, text: ErrorText, cacheControl?: string) =>
    deps.documents.serve(
      req,
      res,
      key,
      () => {
        const { status, heading, message, link = BACK_TO_SHOP } = text;
        const layout = sharedLayout(deps, {
          title: heading,
          description: message,
          path: paths.home,
          noCacheCopy: true,
        });
        return render(status, 'message', {
          ...layout,
          eyebrow: `Error ${status}`,
          heading,
          message,
          link,
        });
      },
      cacheControl,
    );
}

/** The shopper's cart page: per request, never stored by a cache. */
export function cartPage(deps: PageDeps): RequestHandler {
  const send = pageSender(deps);
  return async (req, res) => {
    const layout = layoutView(deps, req, {
      title: 'Your cart',
      description: 'Your BestClips cart.',
      path: paths.cart,
    });
    const priced = priceCart(shopperCart(req), deps.catalog);
    // The last hop of a redirected change: the clean cart URL. Then show how the change travelled.
    await deps.observe?.({ type: 'cart-shown', sessionId: req.sessionID });
    const trace = await deps.traces?.latest(req.sessionID);
    send(res, 200, 'cart', { ...cartView(priced, layout), trace: trace && traceView(trace) });
  };
}

/** Explains a problem on a full AMP page (used by the flow's apply path): per request. */
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

/** Sends a page about one shopper: rendered and compressed for this request, never kept. */
export function pageSender({ renderer }: PageDeps) {
  return <P extends PageName>(res: Response, status: number, page: P, view: PageViews[P]) =>
    sendPersonal(res.req, res, status, renderer.render(page, view));
}

/** The layout of a page about one shopper: the badge shows their count when the cookie came. */
export function layoutView(deps: PageDeps, req: Request, meta: PageMeta): LayoutView {
  const badge = cartSummary(knownCart(req), deps.catalog);
  return {
    ...sharedLayout(deps, meta),
    cartKnown: badge.known,
    cartCount: badge.known ? badge.count : 0,
  };
}

/** The layout of a shared page: nothing in it depends on who asks. */
function sharedLayout(deps: PageDeps, meta: PageMeta): LayoutView {
  return {
    title: meta.title,
    description: meta.description,
    canonicalUrl: deps.config.publicOrigin + meta.path,
    cartKnown: false,
    cartCount: 0,
    originBanner: meta.noCacheCopy ? undefined : deps.originBanner?.(meta.path),
  };
}

function renderWith({ renderer }: PageDeps) {
  return <P extends PageName>(status: number, page: P, view: PageViews[P]): BuiltPage => ({
    status,
    html: renderer.render(page, view),
  });
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
 * undefined: a cookie-less request says nothing about the person who will see the page.
 */
export function knownCart(req: Request): Cart | undefined {
  return hasSessionCookie(req) ? shopperCart(req) : undefined;
}
