// What is not throughput: start-up time with either catalog, RSS per carted session, and what
// each kind of HTML page weighs on the wire (identity, gzip, brotli, as served).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../server/project-root';
import type { ServersInfo } from './servers';
import { ampCartPost, BENCH_ENV, BIG_CATALOG_FILE, forkChild, freePorts } from './support';
import { httpRequest, percentiles, settings, SKUS } from './support';

/** Target: start-up to first 200 with either catalog. */
export const STARTUP_MAX_MS = 1_000;
/** Target: RSS per session with a 3-line cart. */
export const RSS_PER_SESSION_MAX_BYTES = 1_500;
/** Target: every page kind, with brotli (1 KB = 1,000 bytes). */
export const PAGE_BROTLI_MAX_BYTES = 10_000;

/** From spawning the server until `/` answers 200 (polled every 5 ms): the median of the runs. */
export async function measureStartup() {
  let args = ['--import', 'tsx', 'server/index.ts'];
  if (settings.build) {
    const tsc = require.resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 2, 2],
    });
    args = ['dist/server/index.js'];
  }
  const results = [];
  for (const [catalog, file] of [['shipped'], ['generated', BIG_CATALOG_FILE]]) {
    const runsMs: number[] = [];
    for (let i = 0; i < settings.startupRuns; i++) runsMs.push(await timeToFirst200(args, file));
    const command = `node ${args.join(' ')}`;
    results.push({ catalog, command, runsMs, medianMs: percentiles(runsMs).p50 });
  }
  return results;
}

async function timeToFirst200(args: string[], catalogFile?: string): Promise<number> {
  const [port, cachePort] = await freePorts(2);
  const start = performance.now();
  const env = { ...process.env, ...BENCH_ENV, PORT: String(port), CACHE_PORT: String(cachePort) };
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: 'ignore',
    env: { ...env, ...(catalogFile && { CATALOG_FILE: catalogFile }) },
  });
  const exited = once(child, 'exit');
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
      if (performance.now() - start > 30_000) throw new Error('no 200 within 30 s');
      const answer = await httpRequest(`http://127.0.0.1:${port}`, { path: '/' }).catch(() => null);
      if (answer?.status === 200) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** The shop alone (--expose-gc): RSS after GC, before and after `settings.sessions` sessions. */
export async function measureRssPerSession() {
  const [port] = await freePorts(1);
  const publicOrigin = `http://localhost:${port}`;
  const env = { BENCH_MODE: 'rss', PORT: String(port), CACHE: 'off' };
  const child = await forkChild('servers.ts', env, ['--expose-gc']);
  type Memory = NodeJS.MemoryUsage & { sessions: number };
  try {
    // An origin page's add, without a cookie: a new session and its first line.
    const origins = { publicOrigin, cacheOrigin: publicOrigin };
    const post = ampCartPost({ op: 'add', sku: SKUS[0], quantity: 1 }, 'origin', origins);
    const url = `http://127.0.0.1:${port}${post.path}`;
    const create = (amount: number) =>
      autocannon({ ...post, url, connections: 10, amount, method: 'POST' });
    await create(1_000); // warm-up
    const before = await child.call<Memory>('measure');
    const started = performance.now();
    const run = await create(settings.sessions);
    const seconds = (performance.now() - started) / 1000;
    const after = await child.call<Memory>('measure');
    const created = after.sessions - before.sessions;
    return {
      sessionsCreated: created,
      rssBytesPerSession: (after.rss - before.rss) / created,
      /** Live objects per session after GC: what a session and its cart really take. */
      heapBytesPerSession: (after.heapUsed - before.heapUsed) / created,
      seconds,
      /** Requests that did not answer 200 (each should have made a session). */
      badAnswers: run.non2xx + run.errors,
    };
  } finally {
    await child.close();
  }
}

/** Each page kind as a browser receives it, in each encoding. Both shoppers have 3-line carts. */
export async function pageWeights(info: ServersInfo, shopper: string, buyer: string) {
  const { origin, big, cache } = info.urls;
  // `buyer` places an order (origin page, direct path): its confirmation page is the one weighed.
  const checkout = await httpRequest(origin, {
    method: 'POST',
    path: `/api/checkout?__amp_source_origin=${encodeURIComponent(info.publicOrigin)}`,
    headers: {
      'amp-same-origin': 'true',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: buyer,
    },
    body: 'name=Ada+Bench&email=ada%40example.com&street=1+Clip+Lane&city=Paperton&postcode=12345&country=Freedonia',
  });
  const confirmation = checkout.headers['amp-redirect-to'];
  if (typeof confirmation !== 'string')
    throw new Error(`placing an order: ${checkout.status} ${checkout.body}`);
  const order = new URL(confirmation).pathname;
  const onCache = `/c/${new URL(info.publicOrigin).host}/products/superclip`;
  // prettier-ignore
  const pages: [string, string, string, string?][] = [
    ['listing',                              origin, '/'],
    ['listing, page 2 of the large catalog', big,    '/?page=2'],
    ['product',                              origin, '/products/superclip'],
    ['contact',                              origin, '/contact'],
    ['404',                                  origin, '/no/such/page'],
    ['cart (3 lines)',                       origin, '/cart',     shopper],
    ['checkout',                             origin, '/checkout', shopper],
    ['order confirmation',                   origin, order,       buyer],
    ['product via the local cache',          cache,  onCache],
  ];
  const weights = [];
  for (const [page, url, path, cookie] of pages) {
    const as = (encoding: string) =>
      httpRequest(url, {
        path,
        headers: { 'accept-encoding': encoding, ...(cookie && { cookie }) },
      });
    const [identity, gzip, br] = [await as('identity'), await as('gzip'), await as('br')];
    weights.push({
      page,
      status: identity.status,
      identityBytes: identity.body.length,
      gzipBytes: gzip.body.length,
      brotliBytes: br.headers['content-encoding'] === 'br' ? br.body.length : NaN,
    });
  }
  return weights;
}
