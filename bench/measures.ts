// What is not throughput: start-up time with either catalog, RSS per carted session, and what
// each kind of HTML page weighs on the wire (identity, gzip, brotli, as served).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout } from 'node:timers/promises';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../server/project-root';
import { ampCartPost, BENCH_ENV, BIG_CATALOG_FILE, forkServers, freePorts } from './support';
import { httpRequest, percentiles, settings, SKUS, type ServersInfo } from './support';

// Targets (1 KB = 1,000 bytes): start-up to first 200 with either catalog, RSS per session with a
// 3-line cart, every page kind with brotli.
export const STARTUP_MAX_MS = 1_000;
export const RSS_PER_SESSION_MAX_BYTES = 1_500;
export const PAGE_BROTLI_MAX_BYTES = 10_000;

/** From spawning the server until `/` answers 200 (polled every 5 ms): the median of the runs. */
export async function measureStartup() {
  // Timed on the compiled server; the smoke run skips the build and uses tsx.
  const build = ['run', '--silent', 'build'];
  if (!settings.smoke) execFileSync('npm', build, { cwd: PROJECT_ROOT, stdio: ['ignore', 2, 2] });
  const args = settings.smoke ? ['--import', 'tsx', 'server/index.ts'] : ['dist/server/index.js'];
  const results = [];
  for (const [catalog, file] of [['shipped'], ['generated', BIG_CATALOG_FILE]]) {
    const runsMs: number[] = [];
    for (let i = 0; i < settings.startupRuns; i++) runsMs.push(await timeToFirst200(args, file));
    const command = `node ${args.join(' ')}`;
    results.push({ catalog, command, runsMs, medianMs: percentiles(runsMs).p50 });
  }
  return results;
}

async function timeToFirst200(args: string[], CATALOG_FILE?: string): Promise<number> {
  const [PORT, CACHE_PORT] = await freePorts(2);
  const start = performance.now();
  const env = { ...process.env, ...BENCH_ENV, PORT, CACHE_PORT, CATALOG_FILE };
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: 'ignore', env });
  const exited = once(child, 'exit');
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
      if (performance.now() - start > 30_000) throw new Error('no 200 within 30 s');
      const answer = await httpRequest(`http://127.0.0.1:${PORT}`, { path: '/' }).catch(() => null);
      if (answer?.status === 200) return performance.now() - start;
      await setTimeout(5);
    }
  } finally {
    child.kill();
    await exited;
  }
}

/** The shop alone: RSS after GC, before and after `settings.sessions` sessions. */
export async function measureRssPerSession() {
  const [PORT] = await freePorts(1);
  const child = await forkServers({ BENCH_MODE: 'rss', PORT, CACHE: 'off' });
  type Memory = NodeJS.MemoryUsage & { sessions: number };
  try {
    const publicOrigin = `http://localhost:${PORT}`;
    const post = ampCartPost('add', SKUS[0], 'origin', { publicOrigin, cacheOrigin: publicOrigin });
    const url = `http://127.0.0.1:${PORT}${post.path}`;
    const create = (amount: number) => autocannon({ ...post, url, connections: 10, amount });
    await create(1_000); // warm-up
    const before = await child.call<Memory>('measure');
    const run = await create(settings.sessions);
    const after = await child.call<Memory>('measure');
    const created = after.sessions - before.sessions;
    return {
      sessionsCreated: created,
      rssBytesPerSession: (after.rss - before.rss) / created,
      /** Live objects per session after GC: what a session and its cart really take. */
      heapBytesPerSession: (after.heapUsed - before.heapUsed) / created,
      seconds: run.duration,
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
    const headers = { ...(cookie && { cookie }) };
    const as = (encoding: string) =>
      httpRequest(url, { path, headers: { ...headers, 'accept-encoding': encoding } });
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
