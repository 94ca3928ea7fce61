// What every part of the bench shares: its settings (from the environment, once), free ports,
// percentiles, a plain HTTP client for set-up, and requests as the AMP runtime sends them.
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import type { CartChange } from '../server/cart/cart';
import { SESSION_COOKIE } from '../server/flow/1-session-cookie';

export const BENCH_DIR = __dirname;
export const PROJECT_DIR = path.resolve(__dirname, '..');
const smoke = process.env.BENCH_SMOKE === '1';

export const settings = {
  smoke,
  /** Concurrent keep-alive connections the load generator keeps busy. */
  connections: 10,
  warmupSeconds: smoke ? 0 : 1,
  durationSeconds: Number(process.env.BENCH_DURATION ?? (smoke ? 0.3 : 8)),
  /** Carted sessions (3 lines each) made to measure RSS per session. */
  sessions: smoke ? 1_000 : 100_000,
  startupRuns: smoke ? 1 : 3,
  /** Start-up is timed on the compiled server (`npm run build`); the smoke run uses tsx. */
  build: !smoke,
  /** The generated catalog's size: its scenarios and start-up run next to the shipped one's. */
  bigCatalog: smoke ? 500 : 10_000,
  profile: process.env.BENCH_PROFILE ?? '',
  out: path.resolve(PROJECT_DIR, process.env.BENCH_OUT ?? 'bench/results/latest.json'),
};

/** SKUs with stock ≥ 100, so the per-line cap (10) is the only limit a bench can hit. */
export const SKUS = ['SC-NAT-100', 'CL-SLV-100', 'RV-RBW-100'] as const;
/** A fixed secret, as in production (NODE_ENV=production requires one). */
const BENCH_SECRET = 'bench-secret-0123456789abcdef';

/**
 * What every server under test runs with: production mode with a fixed secret, and abuse limits the
 * load generator never reaches (it is one client; 429s would be measured instead of the shop).
 */
export const BENCH_ENV = {
  NODE_ENV: 'production',
  SESSION_SECRET: BENCH_SECRET,
  RATE_LIMIT_POSTS: '1000000',
  RATE_LIMIT_LINKS: '1000000',
  RATE_LIMIT_REPORTS: '1000000',
};
/** Requests of one cache→origin flow carry its id here: the servers sum their server time. */
export const FLOW_HEADER = 'x-bench-flow';
export const BIG_CATALOG_FILE = path.join(PROJECT_DIR, '.cache', `bench-catalog.json`);

/** `count` different free loopback ports (the shop's public origin names its port up front). */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    ports.add(
      await new Promise<number>((resolve, reject) => {
        const probe = createServer().unref().on('error', reject);
        probe.listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      }),
    );
  }
  return [...ports];
}

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, p50: at(0.5), p99: at(0.99) };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Exactly as sent: no decompression. */
  body: Buffer;
}

export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request on a fresh connection, for set-up steps (not for load). */
export function httpRequest(base: string, request: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const { method = 'GET', headers, body } = request;
    const req = http.request(base + request.path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${base}${request.path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface Origins {
  publicOrigin: string;
  cacheOrigin: string;
}

const BOUNDARY = 'BenchBoundary7MA4YWxkTrZu0gW';

/**
 * An amp-form POST as the AMP runtime sends it: `__amp_source_origin`, Origin, AMP-Same-Origin
 * only on the origin (on the local cache the runtime sends the page's own origin), multipart.
 */
export function ampCartPost(
  change: Exclude<CartChange, { op: 'remove' }>,
  from: 'origin' | 'cache',
  origins: Origins,
  cookie?: string,
): HttpRequest {
  const pageOrigin = from === 'origin' ? origins.publicOrigin : origins.cacheOrigin;
  const headers: Record<string, string> = {
    accept: 'application/json',
    origin: pageOrigin,
    'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    ...(from === 'origin' ? { 'amp-same-origin': 'true' } : {}),
    ...(cookie ? { cookie } : {}),
  };
  const part = (name: string, value: string | number) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = part('sku', change.sku) + part('quantity', change.quantity);
  return {
    method: 'POST',
    path: `/api/cart/${change.op}?__amp_source_origin=${encodeURIComponent(pageOrigin)}`,
    headers,
    body: `${body}--${BOUNDARY}--\r\n`,
  };
}

/** The header's badge request of an origin page (step 1 gives a cookie-less visitor a cookie). */
export function badgeRequest(publicOrigin: string): HttpRequest {
  const path = `/api/cart/summary?__amp_source_origin=${encodeURIComponent(publicOrigin)}`;
  return { path, headers: { accept: 'application/json', 'amp-same-origin': 'true' } };
}

/** A returning shopper: the badge request gives the cookie, then one origin POST per SKU. */
export async function mintShopper(url: string, origins: Origins, skus: readonly string[]) {
  const visit = await httpRequest(url, badgeRequest(origins.publicOrigin));
  const cookie = visit.headers['set-cookie']?.[0]?.split(';')[0];
  if (!cookie?.startsWith(`${SESSION_COOKIE}=`))
    throw new Error(`no session cookie (${visit.status})`);
  for (const sku of skus) {
    const answer = await httpRequest(
      url,
      ampCartPost({ op: 'add', sku, quantity: 1 }, 'origin', origins, cookie),
    );
    if (answer.status !== 200) throw new Error(`adding ${sku}: ${answer.status} ${answer.body}`);
  }
  return cookie;
}
