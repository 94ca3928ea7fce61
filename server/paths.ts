// Every URL the shop serves, in one place, so pages, forms and redirects agree.
export const paths = {
  home: '/',
  product: (slug: string) => `/products/${encodeURIComponent(slug)}`,
  cart: '/cart',
  /** Step 4: the origin GET that applies a change carried in its query string. */
  applyChange: '/cart/apply',
  /** After step 4 for a new visitor: did the browser keep the session cookie? */
  cookieCheck: '/cart/cookie-check',
  /** Step 3: amp-form posts cart changes here (`action-xhr`). */
  cartApi: {
    add: '/api/cart/add',
    set: '/api/cart/set',
    remove: '/api/cart/remove',
  },
} as const;
