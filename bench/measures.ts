// What is not throughput: start-up time with either catalog, RSS per carted session, and what
// each kind of HTML page weighs on the wire (identity, gzip, brotli, as served).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { forkChild } from './rpc';
import type { ServersInfo } from './servers';
import { ampCartPost, BENCH_DIR, BENCH_ENV, BIG_CATALOG_FILE, freePorts } from './support';
import { httpRequest, percentiles, PROJECT_DIR, SKUS } from './support';

export interface StartupResult {
  catalog: string;
  command: string;
  runsMs: number[];
  medianMs: number;
}

/** From spawning the server until `/` answers 200 (polled every 5 ms); the median of `runs`. */
export async function measureStartup(runs: number, build: boolean): Promise<StartupResult[]> {
  let args = ['--import', 'tsx', 'server/index.ts'];
  if (build) {
    const tsc = [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'];
    const built = spawnSync(process.execPath, tsc, { cwd: PROJECT_DIR, encoding: 'utf8' });
    if (built.status !== 0)
      throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
    args = [path.join('dist', 'server', 'index.js')];
  }
  const results: StartupResult[] = [];
  for (const [catalog, file] of [['shipped'], ['generated', BIG_CATALOG_FILE]]) {
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) runsMs.push(await timeToFirst200(args, file));
    results.push({
      catalog,
      command: `node ${args.join(' ')}`,
      runsMs,
      medianMs: percentiles(runsMs).p50,
    });
  }
  return results;
}

async function timeToFirst200(args: string[], catalogFile?: string): Promise<number> {
  const [port, cachePort] = await freePorts(2);
  const start = performance.now();
  const env = { ...BENCH_ENV, PORT: String(port), CACHE_PORT: String(cachePort) };
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_DIR,
    stdio: 'ignore',
    env: { ...process.env, ...env, ...(catalogFile ? { CATALOG_FILE: catalogFile } : {}) },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
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

export interface RssResult {
  sessionsCreated: number;
  rssBytesPerSession: number;
  /** Live objects per session after GC: what a session and its cart really take. */
  heapBytesPerSession: number;
  seconds: number;
  /** Requests that did not answer 200 (each should have made a session). */
  badAnswers: number;
}

/** The shop alone (--expose-gc): RSS after GC, before and after `sessions` carted sessions. */
export async function measureRssPerSession(sessions: number): Promise<RssResult> {
  const [port] = await freePorts(1);
  const publicOrigin = `http://localhost:${port}`;
  const env = {
    BENCH_MODE: 'rss',
    PORT: String(port),
    CACHE: 'off',
    ...BENCH_ENV,
  };
  const child = await forkChild<object>(path.join(BENCH_DIR, 'servers.ts'), ['--expose-gc'], env);
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
    const run = await create(sessions);
    const seconds = (performance.now() - started) / 1000;
    const after = await child.call<Memory>('measure');
    const created = after.sessions - before.sessions;
    return {
      sessionsCreated: created,
      rssBytesPerSession: (after.rss - before.rss) / created,
      heapBytesPerSession: (after.heapUsed - before.heapUsed) / created,
      seconds,
      badAnswers: run.non2xx + run.errors,
    };
  } finally {
    await child.close();
  }
}

export interface PageWeight {
  page: string;
  status: number;
  identityBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

/** Each page kind as a browser receives it, in each encoding. */
export async function pageWeights(
  info: ServersInfo,
  shopper: string,
  order: { path: string; cookie: string },
): Promise<PageWeight[]> {
  const { origin, big, cache } = info.urls;
  const pages: [string, string, string, string?][] = [
    ['listing', origin, '/'],
    ['listing, page 2 of the large catalog', big, '/?page=2'],
    ['product', origin, '/products/superclip'],
    ['contact', origin, '/contact'],
    ['404', origin, '/no/such/page'],
    ['cart (3 lines)', origin, '/cart', shopper],
    ['checkout', origin, '/checkout', shopper],
    ['order confirmation', origin, order.path, order.cookie],
    [
      'product via the local cache',
      cache,
      `/c/${new URL(info.publicOrigin).host}/products/superclip`,
    ],
  ];
  const weights: PageWeight[] = [];
  for (const [page, url, pagePath, cookie] of pages) {
    const as = (encoding: string) =>
      httpRequest(url, {
        path: pagePath,
        headers: { 'accept-encoding': encoding, ...(cookie ? { cookie } : {}) },
      });
    const [identity, gzip, br] = [await as('identity'), await as('gzip'), await as('br')];
    const brotliBytes = br.headers['content-encoding'] === 'br' ? br.body.length : NaN;
    weights.push({
      page,
      status: identity.status,
      identityBytes: identity.body.length,
      gzipBytes: gzip.body.length,
      brotliBytes,
    });
  }
  return weights;
}

/** Places an order for the shopper (origin page, direct path); returns its confirmation's path. */
export async function placeOrder(
  url: string,
  publicOrigin: string,
  cookie: string,
): Promise<string> {
  const details = {
    name: 'Ada Bench',
    email: 'ada@example.com',
    street: '1 Clip Lane',
    city: 'Paperton',
  };
  const answer = await httpRequest(url, {
    method: 'POST',
    path: `/api/checkout?__amp_source_origin=${encodeURIComponent(publicOrigin)}`,
    headers: {
      'amp-same-origin': 'true',
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
    },
    body: new URLSearchParams({ ...details, postcode: '12345', country: 'Freedonia' }).toString(),
  });
  const target = answer.headers['amp-redirect-to'];
  if (typeof target !== 'string')
    throw new Error(`placing an order: ${answer.status} ${answer.body}`);
  return new URL(target).pathname;
}
