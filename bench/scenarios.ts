// What `npm run bench` measures: one table. Each row is a sequence of requests one connection
// repeats on one server, what a good answer is, and its target. A row with `vsBare` is also run
// against bare Express answering the shop's own captured response to the same request (the same
// status, headers and bytes: brotli pages stay brotli); its target is a fraction of that.
import type { Answer, SequenceContext, Step } from './load';
import type { ServerName, ServersInfo } from './servers';
import {
  ampCartPost,
  badgeRequest,
  FLOW_HEADER,
  SKUS,
  type HttpRequest,
  type Origins,
} from './support';

export interface Scenario {
  name: string;
  label: string;
  server: ServerName;
  steps: Step[];
  /** Also measured on bare Express answering the captured response; the minimum ratio, or null. */
  vsBare?: number | null;
  /** Server time of the whole sequence, p50 (the cache→origin flow). */
  sequenceP50MaxMs?: number;
  /** Store entries this sequence may create (anonymous visits: none). */
  storeEntriesMax?: number;
}

export interface Shoppers {
  /** A returning shopper with a 3-line cart. */
  withCart: string;
  /** Several, so concurrent cart changes rarely touch the same cart. */
  pool: string[];
}

const BR = { 'accept-encoding': 'gzip, deflate, br' };
const PRODUCT = '/products/superclip';

export function scenarios(info: ServersInfo, shoppers: Shoppers, etag: string): Scenario[] {
  const origins: Origins = { publicOrigin: info.publicOrigin, cacheOrigin: info.urls.cache };
  const cacheHost = new URL(info.publicOrigin).host;
  // First views: each request a product of the large catalog nobody asked for yet.
  let firstViews = 0;
  const unseenProduct = () => ({
    path: `/products/item-${String(2 + firstViews++).padStart(5, '0')}`,
  });
  return [
    {
      name: 'raw',
      label: 'raw node:http, product bytes (brotli)',
      server: 'raw',
      steps: [page('/product', BR)],
    },
    {
      name: 'product',
      label: 'product page (brotli)',
      server: 'origin',
      steps: [page(PRODUCT, BR)],
      vsBare: 0.9,
    },
    {
      name: 'listing',
      label: 'listing page (brotli)',
      server: 'origin',
      steps: [page('/', BR)],
      vsBare: 0.9,
    },
    {
      name: 'product-304',
      label: 'product page revalidated (304)',
      server: 'origin',
      steps: [page(PRODUCT, { ...BR, 'if-none-match': etag }, 304)],
      vsBare: null,
    },
    {
      name: 'product-big',
      label: 'product page, large catalog, warm (brotli)',
      server: 'big',
      steps: [page('/products/item-00001', BR)],
      vsBare: 0.9,
    },
    {
      name: 'product-big-first',
      label: 'product page, large catalog, first view each',
      server: 'big',
      steps: [{ ...page('/', BR), setup: unseenProduct }],
    },
    {
      name: 'anonymous',
      label: 'anonymous visit (page + badge, no cookie)',
      server: 'origin',
      steps: [page(PRODUCT, BR), { ...badgeRequest(info.publicOrigin), check: expect(200) }],
      storeEntriesMax: 0,
    },
    {
      name: 'cart',
      label: 'cart page, 3 lines (brotli)',
      server: 'origin',
      steps: [page('/cart', { ...BR, cookie: shoppers.withCart })],
      vsBare: 0.5,
    },
    {
      name: 'add-direct',
      label: 'add to cart, cookie (direct)',
      server: 'origin',
      steps: [{ ...nextChange(shoppers.pool, 'origin', origins), check: expect(200) }],
      vsBare: 0.5,
    },
    {
      name: 'add-redirect',
      label: 'add to cart, no cookie (redirect)',
      server: 'origin',
      steps: [
        {
          ...ampCartPost({ op: 'add', sku: SKUS[0], quantity: 1 }, 'cache', origins),
          check: redirectAnswer,
        },
      ],
      vsBare: 0.5,
    },
    {
      name: 'flow',
      label: 'cache→origin flow (POST, apply, cart)',
      server: 'origin',
      steps: flowSteps(shoppers.pool, origins),
      sequenceP50MaxMs: 5,
    },
    {
      name: 'cache-page',
      label: 'product page via the local cache',
      server: 'cache',
      steps: [page(`/c/${cacheHost}${PRODUCT}`, BR)],
    },
  ];
}

/** The request a `vsBare` scenario's baseline answers: the first step's, as sent. */
export function capturedRequest(scenario: Scenario, ctx: SequenceContext = {}): HttpRequest {
  const [step] = scenario.steps;
  return {
    method: step.method,
    path: step.path,
    headers: step.headers,
    body: step.body,
    ...step.setup?.(ctx),
  };
}

/** The same scenario on bare Express: the captured answer under /<name>, checked the same way. */
export function onBare(scenario: Scenario): Scenario {
  const request = capturedRequest(scenario);
  const step: Step = { ...request, path: `/${scenario.name}`, check: scenario.steps[0].check };
  return {
    name: `${scenario.name}@bare`,
    label: `  bare Express, same answer`,
    server: 'bare',
    steps: [step],
  };
}

/** Steps of one whole flow: the number of requests its server time sums. */
export const FLOW_STEPS = 3;

/**
 * One shopper's add-to-cart from a cache page whose browser holds back the third-party cookie:
 * the POST answers AMP-Redirect-To (a fresh, single-use URL); the top-level GET of that URL on the
 * origin, with the first-party cookie, applies it and redirects; the cart page shows it.
 */
function flowSteps(pool: string[], origins: Origins): Step[] {
  const change = nextChange(pool, 'cache', origins);
  const flowHeaders = (ctx: SequenceContext) => ({ cookie: ctx.cookie, [FLOW_HEADER]: ctx.flow });
  let flows = 0;
  return [
    {
      ...change,
      setup: (ctx) => {
        ctx.flow = String(flows++);
        const post = change.setup!(ctx)!;
        return { ...post, headers: { ...post.headers, [FLOW_HEADER]: ctx.flow } };
      },
      check: redirectAnswer,
    },
    {
      path: '/',
      setup: (ctx) => (ctx.apply ? { path: ctx.apply, headers: flowHeaders(ctx) } : undefined),
      check: (answer) => expect(303)(answer) ?? same(answer.headers.location, '/cart'),
    },
    { path: '/cart', setup: (ctx) => ({ headers: flowHeaders(ctx) }), check: expect(200) },
  ];
}

/**
 * Cart changes spread over the pool of shoppers. A line holds at most 10, so each shopper's
 * changes go `set 1`, then four `add 1`: every answer stays a success even when two overlap.
 */
function nextChange(pool: string[], from: 'origin' | 'cache', origins: Origins) {
  let n = 0;
  const cookieFor = (i: number) => (from === 'origin' ? pool[i % pool.length] : undefined);
  const first = ampCartPost({ op: 'set', sku: SKUS[2], quantity: 1 }, from, origins, cookieFor(0));
  return {
    ...first,
    setup: (ctx: SequenceContext) => {
      const i = n++;
      const op = Math.floor(i / pool.length) % 5 === 0 ? ('set' as const) : ('add' as const);
      // The shopper's cookie: sent from the origin; on the cache page kept for the origin GET.
      ctx.cookie = pool[i % pool.length];
      return ampCartPost({ op, sku: SKUS[2], quantity: 1 }, from, origins, cookieFor(i));
    },
  };
}

function page(path: string, headers: Record<string, string>, status = 200): Step {
  return { path, headers: { accept: 'text/html', ...headers }, check: expect(status) };
}

function expect(status: number) {
  return (answer: Answer) =>
    answer.status === status ? undefined : `expected ${status}, got ${answer.status}`;
}

function redirectAnswer(answer: Answer, ctx: SequenceContext): string | undefined {
  const target = answer.headers['amp-redirect-to'];
  if (answer.status !== 200 || typeof target !== 'string') {
    return `expected 200 with AMP-Redirect-To, got ${answer.status}`;
  }
  const url = new URL(target);
  ctx.apply = url.pathname + url.search;
  return undefined;
}

function same(value: unknown, expected: string): string | undefined {
  return value === expected ? undefined : `expected ${expected}, got ${String(value)}`;
}
