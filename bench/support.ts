// What every part of the bench shares: its settings (from the environment, once), free ports,
// percentiles, an HTTP client for set-up, requests as the AMP runtime sends them, and the server
// child process (bench/servers.ts), which answers commands over IPC.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { request } from 'undici';
import { fromRoot, PROJECT_ROOT } from '../server/project-root';

const smoke = process.env.BENCH_SMOKE === '1';

export const settings = {
  /** Tiny loads, to check that the bench works; start-up is then timed on tsx, with no build. */
  smoke,
  /** Concurrent keep-alive connections the load generator keeps busy. */
  connections: 10,
  warmupSeconds: smoke ? 0 : 1,
  durationSeconds: Number(process.env.BENCH_DURATION ?? (smoke ? 0.3 : 8)),
  /** Carted sessions (3 lines each) made to measure RSS per session. */
  sessions: smoke ? 1_000 : 100_000,
  startupRuns: smoke ? 1 : 3,
  /** The generated catalog's size: its scenarios and start-up run next to the shipped one's. */
  bigCatalog: smoke ? 500 : 10_000,
  profile: process.env.BENCH_PROFILE ?? '',
  out: path.resolve(PROJECT_ROOT, process.env.BENCH_OUT ?? 'bench/results/latest.json'),
};

/** SKUs with stock ≥ 100, so the per-line cap (10) is the only limit a bench can hit. */
export const SKUS = ['SC-NAT-100', 'CL-SLV-100', 'RV-RBW-100'] as const;
/** Production mode with a fixed secret, and abuse limits one load generator never reaches. */
export const BENCH_ENV = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'bench-secret-0123456789abcdef',
  RATE_LIMIT_POSTS: '1000000',
  RATE_LIMIT_LINKS: '1000000',
  RATE_LIMIT_REPORTS: '1000000',
};
// The requests of one cache→origin flow (FLOW_STEPS of them) carry its id in FLOW_HEADER: the
// servers sum their server time into the flow's.
export const FLOW_HEADER = 'x-bench-flow';
export const FLOW_STEPS = 3;
export const BIG_CATALOG_FILE = fromRoot('.cache', `bench-catalog-${settings.bigCatalog}.json`);

/** `count` different free loopback ports (the shop's public origin names its port up front). */
export async function freePorts(count: number): Promise<string[]> {
  const probes = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'));
  await Promise.all(probes.map((probe) => once(probe, 'listening')));
  const ports = probes.map((probe) => String((probe.address() as AddressInfo).port));
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}

export function percentiles(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, p50: at(0.5) ?? NaN, p99: at(0.99) ?? NaN };
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request for a set-up step (not for load); the body exactly as sent, not decompressed. */
export async function httpRequest(base: string, { path, method = 'GET', ...rest }: HttpRequest) {
  const answer = await request(base + path, { method, ...rest, headersTimeout: 30_000 });
  const { statusCode: status, headers, body } = answer;
  return { status, headers, body: Buffer.from(await body.arrayBuffer()) };
}

export type Origins = Record<'publicOrigin' | 'cacheOrigin', string>;
export type ServerName = 'raw' | 'bare' | 'origin' | 'big' | 'cache';
/** publicOrigin: the shop's (http://localhost:PORT), what forms and cache URLs name. */
export type ServersInfo = Origins & { urls: Record<ServerName, string> };

const BOUNDARY = 'BenchBoundary7MA4YWxkTrZu0gW';

// An amp-form POST of one item as the AMP runtime sends it: `__amp_source_origin`, Origin,
// AMP-Same-Origin only on the origin (on the local cache the runtime sends the page's own origin),
// multipart.
export function ampCartPost(
  op: 'add' | 'set',
  sku: string,
  from: 'origin' | 'cache',
  origins: Origins,
  cookie?: string,
): HttpRequest {
  const pageOrigin = from === 'origin' ? origins.publicOrigin : origins.cacheOrigin;
  const part = (name: string, value: string | number) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  return {
    method: 'POST',
    path: `/api/cart/${op}?__amp_source_origin=${encodeURIComponent(pageOrigin)}`,
    headers: {
      accept: 'application/json',
      origin: pageOrigin,
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...(from === 'origin' && { 'amp-same-origin': 'true' }),
      ...(cookie && { cookie }),
    },
    body: `${part('sku', sku)}${part('quantity', 1)}--${BOUNDARY}--\r\n`,
  };
}

/** A returning shopper with a 3-line cart: the first add (without a cookie) makes the session. */
export async function mintShopper(url: string, origins: Origins): Promise<string> {
  let cookie: string | undefined;
  for (const sku of SKUS) {
    const answer = await httpRequest(url, ampCartPost('add', sku, 'origin', origins, cookie));
    if (answer.status !== 200) throw new Error(`adding ${sku}: ${answer.status} ${answer.body}`);
    cookie ??= [answer.headers['set-cookie']].flat()[0]?.split(';')[0];
    if (!cookie) throw new Error('adding to a cart set no session cookie');
  }
  return cookie!;
}

type Reply = { result?: unknown; error?: string };

// Forks bench/servers.ts (tsx, gc exposed) with the bench's environment and `env`; once it is
// ready: its `info` (empty in the RSS mode), and `call`: a command, then its result (one at a time).
export async function forkServers(env: object) {
  // The shop logs a JSON line per request to stdout, as in production: discarded here.
  const child = fork(path.join(__dirname, 'servers.ts'), {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...BENCH_ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const died = exited.then(([code]) => Promise.reject(new Error(`servers.ts exited (${code})`)));
  const reply = async <T>() => {
    const [{ result, error }] = (await Promise.race([once(child, 'message'), died])) as [Reply];
    if (error !== undefined) throw new Error(error);
    return result as T;
  };
  return {
    info: await reply<ServersInfo>(),
    call: <T>(cmd: string, arg?: unknown) => (child.send({ cmd, arg }), reply<T>()),
    close: () => (child.kill(), exited),
  };
}
export type Servers = Awaited<ReturnType<typeof forkServers>>;

/** In the child: say it is ready (with `info`) and answer the parent's commands. */
export function serveCommands(info: unknown, commands: Record<string, (arg: never) => unknown>) {
  const send = (reply: Reply) => process.send!(reply);
  process.on('message', async ({ cmd, arg }: { cmd: string; arg: never }) => {
    try {
      send({ result: await commands[cmd](arg) });
    } catch (error) {
      send({ error: String((error as Error).stack ?? error) });
    }
  });
  // The parent going away (or closing the channel) ends the child too.
  process.on('disconnect', () => process.exit(0));
  send({ result: info });
}
