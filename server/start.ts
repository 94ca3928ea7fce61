// Starts the shop (the origin), the local AMP cache next to it (unless CACHE=off) and the metrics
// port (when METRICS_PORT is set); stops them all gracefully. Plain http by default (a
// TLS-terminating proxy in front makes it HTTPS); given a key and certificate, the origin and the
// cache listen on HTTPS themselves, as the browser tests run them. The metrics port stays plain
// http: it is for a scraper on the private network, never for browsers.
import { once } from 'node:events';
import http, { type RequestListener } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { collectDefaultMetrics } from 'prom-client';
import { createShop, type Shop } from './app';
import type { Config } from './config';
import { createCacheTransform } from './local-cache/cache-transform';
import { createLocalCache } from './local-cache/local-cache';
import { paths } from './paths';

/**
 * How long in-flight requests may take to finish once shutdown begins. Below the 15 s that
 * docker-compose.yml gives (stop_grace_period) before a SIGKILL, with time left to close Redis.
 */
const SHUTDOWN_GRACE_MS = 10_000;

export interface StartOptions {
  /** Serve the origin and the local cache over HTTPS with this PEM key and certificate. */
  tls?: { key: string; cert: string };
}

type Listener = http.Server | https.Server;

export interface RunningBestClips {
  shop: Shop;
  /** The origin's listening server (its `request` events show every request it gets). */
  originServer: Listener;
  /** The shop's public origin, e.g. http://localhost:8080. */
  originUrl: string;
  /** The local cache's origin, e.g. http://127.0.0.1:8081, when it runs. */
  cacheUrl: string | undefined;
  /** The port serving only GET /metrics, when METRICS_PORT is set. */
  metricsPort: number | undefined;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

export async function startBestClips(
  config: Config,
  { tls }: StartOptions = {},
): Promise<RunningBestClips> {
  const scheme = tls ? 'https' : 'http';
  for (const origin of [config.publicOrigin, config.localCache?.origin]) {
    if (tls && origin && !origin.startsWith('https:')) {
      throw new Error(`Serving HTTPS, but ${origin} is not an https origin.`);
    }
  }
  const shop = await createShop(config);
  const originServer = await listen(shop.app, config.port, tls);
  const servers = [originServer];
  const originPort = (originServer.address() as AddressInfo).port;

  if (config.localCache) {
    const cache = createLocalCache({
      publicOrigin: config.publicOrigin,
      // The cache fetches from the origin on loopback, trusting the certificate the origin serves.
      upstream: { origin: `${scheme}://127.0.0.1:${originPort}`, ca: tls?.cert },
      transform: createCacheTransform(),
    });
    servers.push(await listen(cache, config.localCache.port, tls));
  }

  // The process's own figures (CPU, memory, event-loop delay, GC) next to the shop's.
  collectDefaultMetrics({ register: shop.metrics.registry });
  let metricsPort: number | undefined;
  if (typeof config.metricsPort === 'number') {
    const metricsApp = express().disable('x-powered-by').get(paths.metrics, shop.metrics.serve);
    const server = await listen(metricsApp, config.metricsPort);
    servers.push(server);
    metricsPort = (server.address() as AddressInfo).port;
  }

  return {
    shop,
    originServer,
    originUrl: config.publicOrigin,
    cacheUrl: config.localCache?.origin,
    metricsPort,
    close: async () => {
      // Fail readiness, stop accepting, let the requests in flight finish (bounded), then close
      // Redis: a balancer sends new requests elsewhere, and no accepted request is cut off.
      shop.readiness.ready = false;
      await Promise.all(servers.map(closeGracefully));
      await shop.close();
    },
  };
}

async function listen(
  app: RequestListener,
  port: number,
  tls?: StartOptions['tls'],
): Promise<Listener> {
  const server = tls ? https.createServer(tls, app) : http.createServer(app);
  server.listen(port);
  await once(server, 'listening');
  return server;
}

async function closeGracefully(server: Listener): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  // Keep-alive connections with no request in flight would hold close() open: end them as soon as
  // they go idle (a request in flight finishes first), and end everything after the grace period.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  server.closeIdleConnections();
  await closed;
  clearInterval(idle);
  clearTimeout(deadline);
}
