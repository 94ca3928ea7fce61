// What is measured: the two baselines and the shop's scenarios of issue 9, each a sequence of
// steps that one connection repeats, with what a good answer looks like.
import { ampCartPost } from './amp-form';
import { BASELINE_PATH } from './baselines';
import type { Step } from './load';
import { FLOW_HEADER } from './server-timer';
import type { ServerName, ServersInfo } from './servers';
import { SKUS } from './settings';

export interface Scenario {
  name: string;
  label: string;
  server: ServerName;
  steps: Step[];
}

export interface Shoppers {
  /** One returning shopper with a 3-line cart (page scenarios). */
  withCart: string;
  /** Several, so concurrent cart changes rarely touch the same cart (POST scenarios). */
  pool: string[];
}

export function scenarios(info: ServersInfo, shoppers: Shoppers): Scenario[] {
  const origins = { publicOrigin: info.publicOrigin, cacheOrigin: info.urls.cache };
  const withCart = { cookie: shoppers.withCart };
  const cacheHost = new URL(info.publicOrigin).host;
  let directCount = 0;
  let flowCount = 0;
  return [
    {
      name: 'raw',
      label: 'raw node:http, product bytes',
      server: 'raw',
      steps: [page(BASELINE_PATH)],
    },
    {
      name: 'bare',
      label: 'bare Express, product bytes',
      server: 'bare',
      steps: [page(BASELINE_PATH)],
    },
    {
      name: 'product',
      label: 'product page (returning shopper)',
      server: 'origin',
      steps: [page('/products/superclip', withCart)],
    },
    {
      name: 'product-new',
      label: 'product page (new visitor)',
      server: 'origin',
      steps: [{ ...page('/products/superclip'), check: newVisitor }],
    },
    { name: 'listing', label: 'listing page', server: 'origin', steps: [page('/', withCart)] },
    {
      name: 'cart',
      label: 'cart page (3 lines)',
      server: 'origin',
      steps: [page('/cart', withCart)],
    },
    {
      name: 'add-cookie',
      label: 'add to cart, cookie (direct)',
      server: 'origin',
      steps: [
        {
          method: 'POST',
          path: '/',
          setup: () => {
            const { change, cookie } = nextChange(directCount++, shoppers.pool);
            return ampCartPost(change, 'origin', origins, cookie);
          },
          check: (answer) => expectStatus(answer.status, 200),
        },
      ],
    },
    {
      name: 'add-redirect',
      label: 'add to cart, no cookie (redirect)',
      server: 'origin',
      steps: [
        {
          method: 'POST',
          ...ampCartPost({ op: 'add', sku: SKUS[0], quantity: 1 }, 'local-cache', origins),
          check: redirectAnswer,
        },
      ],
    },
    {
      name: 'flow',
      label: 'cache→origin flow (POST, apply, cart)',
      server: 'origin',
      steps: flowSteps(() => flowCount++, shoppers.pool, origins),
    },
    {
      name: 'cache-page',
      label: 'product page via local cache',
      server: 'cache',
      steps: [page(`/c/${cacheHost}/products/superclip`)],
    },
  ];
}

export const FLOW_STEPS = 3;

/**
 * One shopper's add-to-cart from a cache page whose browser holds back the third-party cookie:
 * the POST answers AMP-Redirect-To (a fresh single-use URL), the top-level GET of that URL on the
 * origin (with the first-party cookie) applies it and redirects, and the cart page shows it.
 */
function flowSteps(
  next: () => number,
  pool: string[],
  origins: { publicOrigin: string; cacheOrigin: string },
): Step[] {
  return [
    {
      method: 'POST',
      path: '/',
      setup: (ctx) => {
        const n = next();
        const { change, cookie } = nextChange(n, pool);
        ctx.flow = String(n);
        ctx.cookie = cookie;
        const post = ampCartPost(change, 'local-cache', origins);
        return { ...post, headers: { ...post.headers, [FLOW_HEADER]: ctx.flow } };
      },
      check: redirectAnswer,
    },
    {
      path: '/',
      setup: (ctx) => (ctx.apply ? { path: ctx.apply, headers: flowHeaders(ctx) } : undefined),
      check: (answer) =>
        expectStatus(answer.status, 303) ?? expectHeader(answer.headers.location, '/cart'),
    },
    {
      path: '/cart',
      setup: (ctx) => ({ headers: flowHeaders(ctx) }),
      check: (answer) => expectStatus(answer.status, 200),
    },
  ];
}

function flowHeaders(ctx: Record<string, string>): Record<string, string> {
  return { cookie: ctx.cookie, [FLOW_HEADER]: ctx.flow };
}

/**
 * The n-th cart change, spread over the pool of shoppers. A line holds at most 10, so each
 * shopper's changes go `set 1`, then four `add 1` (at most 5), and again: every answer stays a
 * success even when two changes for one cart overlap.
 */
function nextChange(n: number, pool: string[]) {
  const round = Math.floor(n / pool.length);
  const op = round % 5 === 0 ? ('set' as const) : ('add' as const);
  return { change: { op, sku: SKUS[2], quantity: 1 }, cookie: pool[n % pool.length] };
}

function page(path: string, headers: Record<string, string> = {}): Step {
  return {
    path,
    headers: { accept: 'text/html', ...headers },
    check: (answer) =>
      expectStatus(answer.status, 200) ??
      (String(answer.headers['content-type']).startsWith('text/html') ? undefined : 'not HTML'),
  };
}

function newVisitor(answer: { status: number; headers: Record<string, unknown> }) {
  return (
    expectStatus(answer.status, 200) ?? (answer.headers['set-cookie'] ? undefined : 'no cookie')
  );
}

function redirectAnswer(
  answer: { status: number; headers: Record<string, unknown> },
  ctx: Record<string, string>,
): string | undefined {
  const target = answer.headers['amp-redirect-to'];
  if (answer.status !== 200 || typeof target !== 'string') {
    return `expected 200 with AMP-Redirect-To, got ${answer.status}`;
  }
  const url = new URL(target);
  ctx.apply = url.pathname + url.search;
  return undefined;
}

function expectStatus(status: number, expected: number): string | undefined {
  return status === expected ? undefined : `expected ${expected}, got ${status}`;
}

function expectHeader(value: unknown, expected: string): string | undefined {
  return value === expected ? undefined : `expected ${expected}, got ${String(value)}`;
}
