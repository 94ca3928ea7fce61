// Every URL the shop serves, in one place, so pages, forms and redirects agree.
export const paths = {
  home: '/',
  product: (slug: string) => `/products/${encodeURIComponent(slug)}`,
  /** The route that answers `product(slug)`. */
  productRoute: '/products/:slug',
  cart: '/cart',
  /** Step 4: the origin GET that applies a change carried in its query string. */
  applyChange: '/cart/apply',
  /** After step 4 for a new visitor: did the browser keep the session cookie? */
  cookieCheck: '/cart/cookie-check',
  /** Every JSON endpoint (amp-form and amp-list) is under this prefix; the rest are pages. */
  apiPrefix: '/api/',
  /** Step 3: amp-form posts cart changes here (`action-xhr`). */
  cartApi: {
    add: '/api/cart/add',
    set: '/api/cart/set',
    remove: '/api/cart/remove',
  },
  /** The route that answers every `cartApi` URL. */
  cartApiRoute: '/api/cart/:op',
  /** The header's amp-list reads the live cart badge here (GET, AMP CORS). */
  cartSummary: '/api/cart/summary',
  /** A product page's "in your cart" part reads this product's cart lines here (GET, AMP CORS). */
  productInCart: (slug: string) => `/api/cart/product/${encodeURIComponent(slug)}`,
  /** The route that answers `productInCart(slug)`. */
  productInCartRoute: '/api/cart/product/:slug',
  checkout: '/checkout',
  /** The checkout amp-form posts here: it places the order, or redirects to `placeOrder`. */
  checkoutApi: '/api/checkout',
  /**
   * The origin GET for an order held for a cache page without the cookie: it shows what would be
   * ordered and a "Place order" button (it places nothing itself).
   */
  placeOrder: '/checkout/place',
  /** That page's "Place order" amp-form posts here: it places the order, once. */
  placeOrderApi: '/api/checkout/place',
  /** An order's confirmation page; only the session that placed it can see it. */
  order: (orderNumber: string) => `/orders/${encodeURIComponent(orderNumber)}`,
  /** The route that answers `order(number)`. */
  orderRoute: '/orders/:number',
  contact: '/contact',
  contactApi: '/api/contact',
  /** Prometheus metrics: on this port in development, on METRICS_PORT in production. */
  metrics: '/metrics',
  /** Liveness and readiness probes (Docker HEALTHCHECK, Kubernetes). */
  liveness: '/healthz',
  readiness: '/readyz',
  /** Browsers report Content-Security-Policy violations here (report-uri and report-to). */
  cspReports: '/csp-reports',
} as const;
