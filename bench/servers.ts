// The server process of the bench (forked by run.ts, so the load generator has its own process):
// the shop and its local AMP cache, started as server/start.ts does, plus the two baselines. Each
// listener is wrapped by the same ServerTimer. Answers `reset`, `stats`, `profile-start/stop`.
import { once } from 'node:events';
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { createShop } from '../server/app';
import { loadConfig } from '../server/config';
import { createCacheTransform } from '../server/local-cache/cache-transform';
import { createLocalCache } from '../server/local-cache/local-cache';
import { BASELINE_PATH, bareExpress, rawNodeHttp } from './baselines';
import { serveRpc } from './child-rpc';
import { CpuProfiler } from './cpu-profile';
import { ServerTimer, type TimerSummary } from './server-timer';

export type ServerName = 'raw' | 'bare' | 'origin' | 'cache';

export interface ServersInfo {
  /** Where each server listens (127.0.0.1, so no name lookups). */
  urls: Record<ServerName, string>;
  /** The shop's public origin (http://localhost:PORT): what cache URLs and forms name. */
  publicOrigin: string;
  productBytes: number;
}

export interface ServerStats {
  timers: Record<ServerName, TimerSummary>;
  /** CPU used by this process since `reset`, in % of one core. */
  cpuPercent: number;
}

async function main(): Promise<void> {
  const originPort = Number(process.env.PORT);
  const config = loadConfig(process.env);
  const timers = {
    raw: new ServerTimer(),
    bare: new ServerTimer(),
    origin: new ServerTimer(),
    cache: new ServerTimer(),
  };

  const shop = await createShop(config);
  const origin = await listen(timers.origin.wrap(shop.app), originPort);
  const cache = await listen(
    timers.cache.wrap(
      createLocalCache({
        publicOrigin: config.publicOrigin,
        upstream: { origin: `http://127.0.0.1:${originPort}` },
        transform: createCacheTransform(),
      }),
    ),
    config.localCache?.port ?? 0,
  );

  // The baselines serve what a new visitor gets on the product page, byte for byte.
  const page = await fetch(`http://127.0.0.1:${originPort}${BASELINE_PATH}`);
  const body = Buffer.from(await page.arrayBuffer());
  const contentType = page.headers.get('content-type') ?? 'text/html; charset=utf-8';
  const raw = await listen(timers.raw.wrap(rawNodeHttp(body, contentType)), 0);
  const bare = await listen(timers.bare.wrap(bareExpress(body, contentType)), 0);
  timers.origin.reset();

  const url = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const info: ServersInfo = {
    urls: { raw: url(raw), bare: url(bare), origin: url(origin), cache: url(cache) },
    publicOrigin: config.publicOrigin,
    productBytes: body.length,
  };
  const profiler = new CpuProfiler();
  let since = { cpu: process.cpuUsage(), wall: performance.now() };
  serveRpc(info, {
    reset: () => {
      Object.values(timers).forEach((timer) => timer.reset());
      since = { cpu: process.cpuUsage(), wall: performance.now() };
    },
    stats: (flowSteps): ServerStats => {
      const cpu = process.cpuUsage(since.cpu);
      const wallMs = performance.now() - since.wall;
      const steps = Number(flowSteps);
      return {
        timers: Object.fromEntries(
          Object.entries(timers).map(([name, timer]) => [name, timer.summary(steps)]),
        ) as ServerStats['timers'],
        cpuPercent: (100 * (cpu.user + cpu.system)) / 1000 / wallMs,
      };
    },
    'profile-start': () => profiler.start(),
    'profile-stop': (file) => {
      mkdirSync(path.dirname(String(file)), { recursive: true });
      return profiler.stop(String(file));
    },
  });
}

async function listen(listener: RequestListener, port: number): Promise<http.Server> {
  const server = http.createServer(listener);
  server.listen(port);
  await once(server, 'listening');
  return server;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
