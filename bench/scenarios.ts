// What `npm run bench` measures: one table. Each row is a sequence of requests one connection
// repeats on one server, what a good answer is, and its target. A row with `vsBare` is also run
// against bare Express answering the shop's captured answer to the same request (the same status,
// headers and bytes: a brotli page stays brotli); its target is a fraction of that.
import type { IncomingHttpHeaders } from 'node:http';
import { ampCartPost, FLOW_HEADER, SKUS } from './support';
import type { HttpRequest, Origins, ServerName, ServersInfo } from './support';

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string };
/** State shared by the steps of one sequence (fresh for each sequence). */
export type SequenceContext = Record<string, string>;

export interface Step extends HttpRequest {
  /** Builds this step's request at send time; undefined restarts the sequence (counted). */
  setup?: (ctx: SequenceContext) => Partial<HttpRequest> | undefined;
  /** Undefined for a good answer, else what was wrong. May record values in `ctx` for later steps. */
  check: (answer: Answer, ctx: SequenceContext) => string | undefined;
}

/** A row's targets, and its connections when not the usual 10. */
interface Targets {
  /** Also measured on bare Express answering the captured answer: the minimum ratio, or null. */
  vsBare?: number | null;
  /** Server time of the whole sequence (the cache→origin flow), p50 at most. */
  sequenceP50MaxMs?: number;
  /** Store entries a request may create (anonymous visits: none). */
  storeEntriesMax?: number;
  /** A first view is timed alone, not queued behind others. */
  connections?: number;
}
function row(name: string, server: ServerName, label: string, steps: Step[], t: Targets = {}) {
  return { name, server, label, steps, ...t };
}
export type Scenario = ReturnType<typeof row>;

/** The product page: raw node:http replays its captured answer, the 304 row revalidates it. */
export const PRODUCT_PAGE = page('/products/superclip');

/** Cookies with a 3-line cart, one and a pool (concurrent changes rarely meet). */
export type Shoppers = { one: string; pool: string[] };

export function scenarios(info: ServersInfo, shoppers: Shoppers, etag: string) {
  // Each request of a first view asks for a large-catalog product nobody asked for yet.
  let firstViews = 0;
  const item = (n: number) => `/products/item-${String(n).padStart(5, '0')}`;
  const unseen = () => ({ path: item(2 + firstViews++) });
  // The header's badge request on an origin page (step 1 gives a cookie-less visitor a cookie).
  const badge = `/api/cart/summary?__amp_source_origin=${encodeURIComponent(info.publicOrigin)}`;
  const sameOriginJson = { accept: 'application/json', 'amp-same-origin': 'true' };
  const steps = {
    revalidate: [page(PRODUCT_PAGE.path, 304, { 'if-none-match': etag })],
    firstView: [{ ...page('/'), setup: unseen }],
    anonymous: [PRODUCT_PAGE, { path: badge, headers: sameOriginJson, check: status(200) }],
    cart: [page('/cart', 200, { cookie: shoppers.one })],
    direct: [{ ...changes(shoppers.pool, 'origin', info), check: status(200) }],
    redirect: [{ ...ampCartPost('add', SKUS[0], 'cache', info), check: redirected }],
    cachePage: [page(`/c/${new URL(info.publicOrigin).host}${PRODUCT_PAGE.path}`)],
  };
  // prettier-ignore
  return [
    //  name                 server    label                                      steps                             target
    row('raw',               'raw',    'raw node:http, product bytes (brotli)',   [page('/product')]),
    row('product',           'origin', 'product page (brotli)',                   [PRODUCT_PAGE],                   { vsBare: 0.9 }),
    row('listing',           'origin', 'listing page (brotli)',                   [page('/')],                      { vsBare: 0.9 }),
    row('product-304',       'origin', 'product page revalidated (304)',          steps.revalidate,                 { vsBare: null }),
    row('product-big',       'big',    'large catalog, product page, warm',       [page(item(1))],                  { vsBare: 0.9 }),
    row('product-big-first', 'big',    'large catalog, product page, first view', steps.firstView,                  { connections: 1 }),
    row('anonymous',         'origin', 'anonymous visit (page + badge)',          steps.anonymous,                  { storeEntriesMax: 0 }),
    row('cart',              'origin', 'cart page, 3 lines (brotli)',             steps.cart,                       { vsBare: 0.5 }),
    row('add-direct',        'origin', 'add to cart, cookie (direct)',            steps.direct,                     { vsBare: 0.5 }),
    row('add-redirect',      'origin', 'add to cart, no cookie (redirect)',       steps.redirect,                   { vsBare: 0.5 }),
    row('flow',              'origin', 'cache→origin flow (POST, apply, cart)',   flow(shoppers.pool, info),        { sequenceP50MaxMs: 5 }),
    row('cache-page',        'cache',  'product page via the local cache',        steps.cachePage),
  ];
}

// One shopper's add-to-cart from a cache page whose browser holds back the third-party cookie:
// the POST answers AMP-Redirect-To (a fresh, single-use URL); the top-level GET of it on the
// origin, with the first-party cookie, applies the change and redirects; the cart page shows it.
function flow(pool: string[], origins: Origins): Step[] {
  const post = changes(pool, 'cache', origins);
  const headers = (ctx: SequenceContext) => ({ cookie: ctx.cookie, [FLOW_HEADER]: ctx.flow });
  let flows = 0;
  return [
    {
      ...post,
      setup: (ctx) => {
        ctx.flow = String(flows++);
        const request = post.setup(ctx);
        return { ...request, headers: { ...request.headers, [FLOW_HEADER]: ctx.flow } };
      },
      check: redirected,
    },
    {
      path: '/',
      setup: (ctx) => (ctx.apply ? { path: ctx.apply, headers: headers(ctx) } : undefined),
      check: (answer) =>
        status(303)(answer) ??
        (answer.headers.location === '/cart' ? undefined : `went to ${answer.headers.location}`),
    },
    { path: '/cart', setup: (ctx) => ({ headers: headers(ctx) }), check: status(200) },
  ];
}

// Cart changes spread over the pool of shoppers (their cookies sent from the origin, kept for the
// origin GET from a cache). A line holds at most 10: each shopper's changes go `set 1`, then four
// `add 1`, so every answer stays a success even when two overlap.
function changes(pool: string[], from: 'origin' | 'cache', origins: Origins) {
  let n = 0;
  const change = (i: number, ctx: SequenceContext) => {
    ctx.cookie = pool[i % pool.length];
    const op = Math.floor(i / pool.length) % 5 === 0 ? 'set' : 'add';
    return ampCartPost(op, SKUS[2], from, origins, from === 'origin' ? ctx.cookie : undefined);
  };
  return { ...change(0, {}), setup: (ctx: SequenceContext) => change(n++, ctx) };
}

function page(path: string, expected = 200, headers: Record<string, string> = {}): Step {
  const accept = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' };
  return { path, headers: { ...accept, ...headers }, check: status(expected) };
}

function status(expected: number) {
  return (answer: Answer) =>
    answer.status === expected ? undefined : `expected ${expected}, got ${answer.status}`;
}

function redirected(answer: Answer, ctx: SequenceContext): string | undefined {
  const target = answer.headers['amp-redirect-to'];
  if (answer.status !== 200 || typeof target !== 'string')
    return `expected AMP-Redirect-To, got ${answer.status}`;
  const url = new URL(target);
  ctx.apply = url.pathname + url.search;
}
