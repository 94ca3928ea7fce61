// The servers of the bench, in a child process of their own (the load generator runs in the
// parent): the shop on its catalog, the shop on the large generated catalog, the local AMP cache,
// and the two yardsticks — raw node:http and a bare Express app — that answer a CAPTURED response
// of the shop (the same status, headers and bytes, e.g. the brotli product page) from memory.
// Every listener is wrapped by the same timer. With BENCH_MODE=rss only the shop runs, for the
// RSS-per-session measurement (forked with --expose-gc).
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { createShop, type Shop } from '../server/app';
import { loadConfig } from '../server/config';
import { createCacheTransform } from '../server/local-cache/cache-transform';
import { createLocalCache } from '../server/local-cache/local-cache';
import { CpuProfiler } from './profile';
import { serveRpc } from './rpc';
import {
  BIG_CATALOG_FILE,
  FLOW_HEADER,
  httpRequest,
  percentiles,
  SKUS,
  type HttpRequest,
} from './support';

export type ServerName = 'raw' | 'bare' | 'origin' | 'big' | 'cache';

export interface ServersInfo {
  urls: Record<ServerName, string>;
  /** Public origins (http://localhost:PORT): what forms and cache URLs name. */
  publicOrigin: string;
  bigPublicOrigin: string;
}

export interface CaptureRequest extends HttpRequest {
  /** The baselines answer it under `/<name>`, whatever the method. */
  name: string;
  server: 'origin' | 'big';
}

/** Server time per request, from the listener's call to 'finish'; summed per FLOW_HEADER id. */
class ServerTimer {
  private durations: number[] = [];
  private flows = new Map<string, { ms: number; steps: number }>();

  wrap(listener: RequestListener): RequestListener {
    return (req, res) => {
      const start = performance.now();
      res.once('finish', () => {
        const ms = performance.now() - start;
        this.durations.push(ms);
        const flow = req.headers[FLOW_HEADER];
        if (typeof flow !== 'string') return;
        const sum = this.flows.get(flow) ?? { ms: 0, steps: 0 };
        this.flows.set(flow, { ms: sum.ms + ms, steps: sum.steps + 1 });
      });
      listener(req, res);
    };
  }

  reset(): void {
    this.durations = [];
    this.flows.clear();
  }

  summary(flowSteps: number) {
    const flows = [...this.flows.values()].filter((f) => f.steps === flowSteps).map((f) => f.ms);
    return { requests: percentiles(this.durations), flows: percentiles(flows) };
  }
}

async function listen(listener: RequestListener, port = 0): Promise<http.Server> {
  const server = http.createServer(listener).listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const urlOf = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Hop-by-hop and per-response headers a replay must not copy. */
const NOT_REPLAYED = new Set(['connection', 'keep-alive', 'date', 'transfer-encoding']);

async function main(): Promise<void> {
  const env = (port: string, catalog?: string) =>
    loadConfig({ ...process.env, PORT: port, ...(catalog ? { CATALOG_FILE: catalog } : {}) });
  if (process.env.BENCH_MODE === 'rss') return rssServer(await createShop(env(process.env.PORT!)));

  const config = env(process.env.PORT!);
  const bigConfig = env(process.env.BIG_PORT!, BIG_CATALOG_FILE);
  const timers = Object.fromEntries(
    (['raw', 'bare', 'origin', 'big', 'cache'] as const).map((name) => [name, new ServerTimer()]),
  ) as Record<ServerName, ServerTimer>;
  const [shop, big] = await Promise.all([createShop(config), createShop(bigConfig)]);
  const origin = await listen(timers.origin.wrap(shop.app), config.port);
  const bigServer = await listen(timers.big.wrap(big.app), bigConfig.port);
  const cache = await listen(
    timers.cache.wrap(
      createLocalCache({
        publicOrigin: config.publicOrigin,
        upstreamOrigin: urlOf(origin),
        transform: createCacheTransform(),
      }),
    ),
    config.localCache?.port,
  );

  // The yardsticks: answers captured from the shop, replayed from memory.
  const captured = new Map<
    string,
    { status: number; headers: http.OutgoingHttpHeaders; body: Buffer }
  >();
  const replay = (name: string) =>
    captured.get(name) ?? { status: 404, headers: {}, body: Buffer.alloc(0) };
  const raw = await listen(
    timers.raw.wrap((req, res) => {
      const answer = replay((req.url ?? '').slice(1));
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }),
  );
  // Bare Express, computing no ETag of its own (the replayed headers are the shop's); it answers
  // If-None-Match itself (`req.fresh` → 304).
  const bareApp = express()
    .set('etag', false)
    .all('/:name', (req, res) => {
      const answer = replay(String(req.params.name));
      res.status(answer.status).set(answer.headers).send(answer.body);
    });
  const bare = await listen(timers.bare.wrap(bareApp));

  const info: ServersInfo = {
    urls: {
      raw: urlOf(raw),
      bare: urlOf(bare),
      origin: urlOf(origin),
      big: urlOf(bigServer),
      cache: urlOf(cache),
    },
    publicOrigin: config.publicOrigin,
    bigPublicOrigin: bigConfig.publicOrigin,
  };
  const profiler = new CpuProfiler();
  let since = { cpu: process.cpuUsage(), wall: performance.now() };
  serveRpc(info, {
    capture: async (arg) => {
      const { name, server, ...request } = arg as CaptureRequest;
      const answer = await httpRequest(info.urls[server], request);
      const headers = Object.fromEntries(
        Object.entries(answer.headers).filter(([header]) => !NOT_REPLAYED.has(header)),
      );
      captured.set(name, { status: answer.status, headers, body: answer.body });
      return { status: answer.status, headers, bytes: answer.body.length };
    },
    reset: () => {
      Object.values(timers).forEach((timer) => timer.reset());
      since = { cpu: process.cpuUsage(), wall: performance.now() };
    },
    stats: (flowSteps) => {
      const cpu = process.cpuUsage(since.cpu);
      const summaries = Object.entries(timers).map(([name, t]) => [
        name,
        t.summary(Number(flowSteps)),
      ]);
      return {
        timers: Object.fromEntries(summaries),
        cpuPercent: (100 * (cpu.user + cpu.system)) / 1000 / (performance.now() - since.wall),
      };
    },
    stored: () => ({ sessions: shop.memory!.sessions.size, carts: shop.memory!.carts.size }),
    'profile-start': () => profiler.start(),
    'profile-stop': (file) => {
      mkdirSync(path.dirname(String(file)), { recursive: true });
      return profiler.stop(String(file));
    },
  });
}

/**
 * The RSS server: sessions are made over HTTP, as in production, by a POST from an origin page
 * without a cookie (a new session and its first line); two more lines are added in-process, so
 * each session has a 3-line cart. `measure` collects garbage and reports memory.
 */
async function rssServer(shop: Shop): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  await listen((req, res) => {
    res.once('finish', () => {
      const sessionId = (req as http.IncomingMessage & { sessionID?: string }).sessionID;
      if (res.statusCode !== 200 || !sessionId) return;
      for (const sku of SKUS.slice(1))
        void shop.carts.apply(sessionId, { op: 'add', sku, quantity: 1 });
    });
    shop.app(req, res);
  }, Number(process.env.PORT));
  serveRpc(
    {},
    {
      measure: async () => {
        for (let i = 0; i < 3; i++) {
          gc();
          await new Promise((resolve) => setImmediate(resolve));
        }
        const memory = process.memoryUsage();
        return { ...memory, sessions: shop.memory!.sessions.size, carts: shop.memory!.carts.size };
      },
    },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
