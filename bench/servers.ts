// The bench's server child (the load generator runs in the parent): the shop on its catalog, the
// shop on the large generated catalog, the local AMP cache, and the yardsticks — raw node:http and
// a bare Express app — answering a CAPTURED answer of the shop (its status, headers and bytes)
// from memory. Every listener is wrapped by the same timer. With BENCH_MODE=rss only the shop
// runs, to measure RSS per session.
import { once } from 'node:events';
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate } from 'node:timers/promises';
import express from 'express';
import { createShop, type Shop } from '../server/app';
import { loadConfig } from '../server/config';
import { createCacheTransform } from '../server/local-cache/cache-transform';
import { createLocalCache } from '../server/local-cache/local-cache';
import { startProfile, stopProfile } from './profile';
import { BIG_CATALOG_FILE, FLOW_HEADER, FLOW_STEPS, httpRequest, percentiles } from './support';
import { serveCommands, SKUS } from './support';
import type { HttpRequest, ServerName, ServersInfo } from './support';

/** A request to the shop whose answer the yardsticks then give at `/<name>`. */
export type CaptureRequest = HttpRequest & { name: string; server: ServerName };
/** Since the previous `stats`: a server's time (ms), CPU (% of one core), sessions stored. */
export interface ServerStats {
  serverTime: Record<'requests' | 'sequences', ReturnType<typeof percentiles>>;
  cpuPercent: number;
  sessionsStored: number;
}

/** Server time from the listener's call to 'finish', per server; per whole flow (FLOW_HEADER). */
let durations: Partial<Record<ServerName, number[]>> = {};
let flows: Record<string, { ms: number; steps: number }> = {};
const timed =
  (server: ServerName, listener: RequestListener): RequestListener =>
  (req, res) => {
    const start = performance.now();
    res.once('finish', () => {
      const ms = performance.now() - start;
      (durations[server] ??= []).push(ms);
      const id = req.headers[FLOW_HEADER];
      if (typeof id !== 'string') return;
      const flow = (flows[id] ??= { ms: 0, steps: 0 });
      [flow.ms, flow.steps] = [flow.ms + ms, flow.steps + 1];
    });
    listener(req, res);
  };

async function listen(listener: RequestListener, port = 0): Promise<string> {
  const server = http.createServer(listener).listen(port, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Hop-by-hop and per-response headers a replay does not copy. */
const NOT_REPLAYED = ['connection', 'keep-alive', 'date', 'transfer-encoding'];

async function servers(): Promise<void> {
  const shopConfig = loadConfig();
  const env = { ...process.env, PORT: process.env.BIG_PORT, CATALOG_FILE: BIG_CATALOG_FILE };
  const bigConfig = loadConfig(env);
  const [shop, big] = await Promise.all([createShop(shopConfig), createShop(bigConfig)]);
  const origin = await listen(timed('origin', shop.app), shopConfig.port);
  const { publicOrigin } = shopConfig;
  const transform = createCacheTransform();
  const cache = createLocalCache({ publicOrigin, upstream: { origin }, transform });
  const captured = new Map<string, { status: number; headers: object; body: Buffer | string }>();
  const replay = (url = '') => captured.get(url.slice(1)) ?? { status: 404, headers: {}, body: '' };
  // Bare Express with no ETag of its own (the replayed headers are the shop's); it answers
  // If-None-Match itself (`req.fresh` → 304).
  const bare = express()
    .set('etag', false)
    .all('/:name', (req, res) => {
      const { status, headers, body } = replay(req.url);
      res.status(status).set(headers).send(body);
    });
  const raw: RequestListener = (req, res) => {
    const { status, headers, body } = replay(req.url);
    res.writeHead(status, headers as http.OutgoingHttpHeaders).end(body);
  };
  const urls = {
    origin,
    big: await listen(timed('big', big.app), bigConfig.port),
    cache: await listen(timed('cache', cache), shopConfig.localCache?.port),
    raw: await listen(timed('raw', raw)),
    bare: await listen(timed('bare', bare)),
  };
  const stored = () => shop.memory!.sessions.size;
  const now = () => ({ cpu: process.cpuUsage(), wall: performance.now(), stored: stored() });
  let since = now();
  serveCommands({ urls, publicOrigin, cacheOrigin: urls.cache } satisfies ServersInfo, {
    /** Resolves with the shop's answer's headers (the product page's ETag). */
    capture: async ({ name, server, ...request }: CaptureRequest) => {
      const answer = await httpRequest(urls[server], request);
      const headers = Object.entries(answer.headers).filter(([h]) => !NOT_REPLAYED.includes(h));
      captured.set(name, { ...answer, headers: Object.fromEntries(headers) });
      return answer.headers;
    },
    stats: (server: ServerName): ServerStats => {
      const cpu = process.cpuUsage(since.cpu);
      const whole = Object.values(flows).filter((f) => f.steps === FLOW_STEPS);
      const stats = {
        serverTime: {
          requests: percentiles(durations[server] ?? []),
          sequences: percentiles(whole.map((f) => f.ms)),
        },
        cpuPercent: (cpu.user + cpu.system) / 10 / (performance.now() - since.wall),
        sessionsStored: stored() - since.stored,
      };
      [durations, flows, since] = [{}, {}, now()];
      return stats;
    },
    'profile-start': startProfile,
    'profile-stop': stopProfile,
  });
}

// The RSS server: sessions are made over HTTP, as in production, by an origin POST without a
// cookie (a new session and its first line); two more lines are added in-process, so each session
// has a 3-line cart. `measure` collects garbage and reports memory.
async function rssServer(shop: Shop): Promise<void> {
  await listen((req, res) => {
    res.once('finish', () => {
      const sessionId = (req as http.IncomingMessage & { sessionID?: string }).sessionID;
      if (res.statusCode !== 200 || !sessionId) return;
      for (const sku of SKUS.slice(1))
        void shop.carts.apply(sessionId, { op: 'add', sku, quantity: 1 });
    });
    shop.app(req, res);
  }, shop.config.port);
  const measure = async () => {
    for (let i = 0; i < 3; i++) {
      globalThis.gc!();
      await setImmediate();
    }
    return { ...process.memoryUsage(), sessions: shop.memory!.sessions.size };
  };
  serveCommands({}, { measure });
}

// A failure to start rejects, unhandled: Node prints it and exits (the parent reports the exit).
void (process.env.BENCH_MODE === 'rss' ? createShop(loadConfig()).then(rssServer) : servers());
