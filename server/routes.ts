// Every URL the shop answers, in the order of the flow: method, path (paths.ts), what runs before
// the handler, and the handler. What runs before:
// - `corsGate`: the AMP CORS gate (amp/amp-cors.ts), refusing unknown callers before any effect;
// - `limits.*`: per-client abuse limits (rate-limits.ts), after the gate so a 429 has CORS headers;
// - `shopper`: express-session and the shopper's cart (flow/1-session-cookie.ts), on the routes
//   that show or change one shopper's state — never on probes, metrics, the badge or reports;
// - `shortForm` / `textForm`: the amp-form body, with small limits (amp/form-body.ts).
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
import { cartSummaryApi, type CartSummaryApiDeps } from './flow/cart-summary-api';
import { liveness, readinessCheck, type Readiness } from './health';
import type { Metrics } from './metrics';
import type { OrderStore } from './orders/order-store';
import { checkoutPages } from './pages/checkout-pages';
import { loadShopperCart, notFoundHandler, shopPages, type PageDeps } from './pages/shop-pages';
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
    pages: PageDeps;
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
  const pages = shopPages(shop.pages);
  const orderPages = checkoutPages({ ...shop.pages, orders: shop.orders });

  // Operations. Metrics: here in development, on METRICS_PORT only in production (start.ts).
  app.get(paths.liveness, liveness);
  app.get(paths.readiness, readinessCheck(shop.readiness));
  if (config.metricsPort === 'shop') app.get(paths.metrics, shop.metrics.serve);

  // Step 1: every origin page gives the shopper a session cookie if there is none.
  app.get(paths.home, shopper, pages.home);
  app.get(paths.productRoute, shopper, pages.product);
  app.get(paths.contact, shopper, pages.contact);
  // The header's live cart badge: reads a session, never makes one.
  app.get(paths.cartSummary, corsGate, cartSummaryApi(shop));

  // Steps 2–3: amp-form posts a change; it is applied, or handed to the origin (AMP-Redirect-To).
  app.post(paths.cartApiRoute, corsGate, limits.posts, shortForm, changeCart(shop));
  // Step 4: the origin GET applies the change, then redirects to a clean URL.
  app.get(paths.applyChange, limits.links, shopper, applyOnOrigin(shop));
  app.get(paths.cookieCheck, shopper, cookieCheck(shop));
  app.get(paths.cart, shopper, pages.cart);

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

  // Anything else: the 404 page (with the shopper's cart badge).
  app.use(shopper, notFoundHandler(shop.pages));
}
