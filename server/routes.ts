// Every URL the shop answers, in the order of the flow: method, path (paths.ts), what runs before
// the handler, and the handler. What runs before:
// - `corsGate`: the AMP CORS gate (amp/amp-cors.ts), refusing unknown callers before any effect;
// - `limits.*`: per-client abuse limits (rate-limits.ts), after the gate so a 429 has CORS headers;
// - `shopper`: express-session and the shopper's cart (flow/1-session-cookie.ts), only on the
//   pages about one shopper (their cart, checkout, orders and the origin links that lead there);
//   shared pages, probes, the badge and reports never look at a session;
// - `shortForm` / `textForm`: the amp-form body, with small limits (amp/form-body.ts).
import cookieParser from 'cookie-parser';
import type { Express, RequestHandler } from 'express';
import { formBodyParser, SHORT_FORM_LIMITS, TEXT_FORM_LIMITS } from './amp/form-body';
import { checkoutApi, type CheckoutApiDeps } from './checkout/checkout-api';
import { confirmOnOrigin, type ConfirmOnOriginDeps } from './checkout/confirm-on-origin';
import { placeOrderApi, type PlaceOrderApiDeps } from './checkout/place-order-api';
import type { Config } from './config';
import { contactApi, type ContactApiDeps } from './contact/contact-api';
import { cspReportApi, cspReportPreflight, type BoundedReportLog } from './csp-reports';
import { changeCart, type CartFormPostDeps } from './flow/2-cart-form-post';
import { applyOnOrigin, cookieCheck, type ApplyOnOriginDeps } from './flow/4-apply-on-origin';
import { cartSummaryApi, productInCartApi, type CartSummaryApiDeps } from './flow/cart-summary-api';
import { liveness, readinessCheck, type Readiness } from './health';
import type { Metrics } from './metrics';
import type { OrderStore } from './orders/order-store';
import { checkoutPages } from './pages/checkout-pages';
import {
  cartPage,
  loadShopperCart,
  notFoundHandler,
  sharedPages,
  type SharedPageDeps,
} from './pages/shop-pages';
import { paths } from './paths';
import type { RateLimiters } from './rate-limits';

/** What the handlers need, built once by createShop (app.ts). */
export type ShopParts = CartFormPostDeps &
  CartSummaryApiDeps &
  ApplyOnOriginDeps &
  CheckoutApiDeps &
  ConfirmOnOriginDeps &
  PlaceOrderApiDeps &
  ContactApiDeps & {
    config: Config;
    /** The AMP CORS gate; who it let through is `res.locals.ampCaller` (amp/amp-cors.ts). */
    corsGate: RequestHandler;
    limits: RateLimiters;
    pages: SharedPageDeps;
    orders: OrderStore;
    readiness: Readiness;
    metrics: Metrics;
    cspLog: BoundedReportLog;
  };

export function addRoutes(app: Express, shop: ShopParts): void {
  const { config, corsGate, limits } = shop;
  const shopper = [shop.sessions, loadShopperCart(shop.carts)];
  const shortForm = formBodyParser(SHORT_FORM_LIMITS);
  const textForm = formBodyParser(TEXT_FORM_LIMITS);
  const pages = sharedPages(shop.pages);
  const orderPages = checkoutPages({ ...shop.pages, orders: shop.orders });

  // Shared pages: one document per URL for everybody, from memory, before any cookie is read.
  app.get(paths.home, pages.home);
  app.get(paths.productRoute, pages.product);
  app.get(paths.contact, pages.contact);

  // Operations. Metrics: here in development, on METRICS_PORT only in production (start.ts).
  app.get(paths.liveness, liveness);
  app.get(paths.readiness, readinessCheck(shop.readiness));
  if (config.metricsPort === 'shop') app.get(paths.metrics, shop.metrics.serve);

  // Everything below may need the session cookie.
  app.use(cookieParser());
  // What shared pages ask about this shopper, with credentials. Step 1: the header's badge gives
  // an origin visitor the session cookie (storing nothing); a product's "in your cart" part.
  app.get(paths.cartSummary, corsGate, cartSummaryApi(shop));
  app.get(paths.productInCartRoute, corsGate, productInCartApi(shop));

  // Steps 2–3: amp-form posts a change; it is applied, or handed to the origin (AMP-Redirect-To).
  app.post(paths.cartApiRoute, corsGate, limits.posts, shortForm, changeCart(shop));
  // Step 4: the origin GET applies the change, then redirects to a clean URL.
  app.get(paths.applyChange, limits.links, shopper, applyOnOrigin(shop));
  app.get(paths.cookieCheck, shopper, cookieCheck(shop));
  app.get(paths.cart, shopper, cartPage(shop.pages));

  // The same steps for an order: post the checkout, confirm on the origin, place it, once.
  app.get(paths.checkout, shopper, orderPages.checkout);
  app.post(paths.checkoutApi, corsGate, limits.posts, textForm, checkoutApi(shop));
  app.get(paths.placeOrder, limits.links, shopper, confirmOnOrigin(shop));
  app.post(paths.placeOrderApi, corsGate, limits.posts, shortForm, placeOrderApi(shop));
  app.get(paths.orderRoute, shopper, orderPages.order);

  // Contact messages and browsers' CSP reports: nobody's cart, so no session.
  app.post(paths.contactApi, corsGate, limits.posts, textForm, contactApi(shop));
  app.options(paths.cspReports, cspReportPreflight);
  app.post(paths.cspReports, limits.reports, cspReportApi(shop.cspLog));

  // Anything else: the 404 page, one shared document.
  app.use(notFoundHandler(shop.pages));
}
