// Starts the shop (the origin) and, unless CACHE=off, the local AMP cache next to it; stops both
// gracefully.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { createShop, type Shop } from './app';
import type { Config } from './config';
import { createCacheTransform } from './local-cache/cache-transform';
import { createLocalCache } from './local-cache/local-cache';

/** How long in-flight requests may take to finish once shutdown begins. */
const SHUTDOWN_GRACE_MS = 5000;

export interface RunningBestClips {
  shop: Shop;
  /** The shop's public origin, e.g. http://localhost:8080. */
  originUrl: string;
  /** The local cache's origin, e.g. http://127.0.0.1:8081, when it runs. */
  cacheUrl: string | undefined;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

export async function startBestClips(config: Config): Promise<RunningBestClips> {
  const shop = await createShop(config);
  const servers = [await listen(shop.app, config.port)];
  const originPort = (servers[0].address() as AddressInfo).port;

  if (config.localCache) {
    const cache = createLocalCache({
      publicOrigin: config.publicOrigin,
      upstreamOrigin: `http://127.0.0.1:${originPort}`,
      transform: createCacheTransform(),
    });
    servers.push(await listen(cache, config.localCache.port));
  }

  return {
    shop,
    originUrl: config.publicOrigin,
    cacheUrl: config.localCache?.origin,
    close: async () => {
      shop.readiness.ready = false;
      await Promise.all(servers.map(closeGracefully));
      await shop.close();
    },
  };
}

async function listen(app: RequestListener, port: number): Promise<http.Server> {
  const server = http.createServer(app);
  server.listen(port);
  await once(server, 'listening');
  return server;
}

async function closeGracefully(server: http.Server): Promise<void> {
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
