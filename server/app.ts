// Express wiring, kept thin: each piece it mounts lives in its own module.
import cookieParser from 'cookie-parser';
import express from 'express';
import { MemoryCartStore } from './cart/cart-store';
import { loadCatalog } from './catalog/load-catalog';
import type { Catalog } from './catalog/types';
import type { Config } from './config';
import { computeAllowedOrigins, loadCacheList } from './flow/allowed-origins';
import { ampCorsGate } from './flow/amp-cors';
import { createApplyOnOrigin } from './flow/apply-on-origin';
import { createCartApi } from './flow/cart-api';
import { MemoryNonceStore } from './flow/nonce-store';
import { createSessionMiddleware } from './flow/session';
import { BoundedMemoryStore } from './flow/session-store';
import { deriveChangeKey } from './flow/signed-change';
import type { MemoryLimits } from './memory/bounded-lru';
import { VISITOR_STATE_LIMITS } from './memory/limits';
import { cacheUrlFor } from './local-cache/cache-url';
import {
  createPageRouter,
  loadShopperCart,
  notFoundHandler,
  problemShower,
  type PageDeps,
} from './pages/page-router';
import { createPageRenderer } from './pages/renderer';
import { healthRoutes, type Readiness } from './health';
import { createLogger, requestLogger, type Logger } from './logger';
import { fromRoot } from './project-root';
import { securityHeaders } from './security-headers';

export interface Shop {
  app: express.Express;
  config: Config;
  logger: Logger;
  readiness: Readiness;
  catalog: Catalog;
  carts: MemoryCartStore;
  sessionStore: BoundedMemoryStore;
}

export interface ShopOptions {
  /** Bounds on sessions and carts kept in memory (tests use small ones and a fake clock). */
  memory?: MemoryLimits;
}

export async function createShop(config: Config, options: ShopOptions = {}): Promise<Shop> {
  const memory = options.memory ?? VISITOR_STATE_LIMITS;
  const catalog = loadCatalog(fromRoot('data', 'catalog.json'), fromRoot('public'));
  const carts = new MemoryCartStore(catalog, memory);
  const sessionStore = new BoundedMemoryStore(memory);
  const changeKey = deriveChangeKey(config.sessionSecret);
  const caches = loadCacheList(fromRoot('data', 'amp-caches.json'));
  const allowed = await computeAllowedOrigins(
    config.publicOrigin,
    caches,
    config.extraCacheOrigins,
  );
  const sessions = createSessionMiddleware(config, sessionStore);
  const pages: PageDeps = {
    config,
    catalog,
    carts,
    renderer: await createPageRenderer(fromRoot('views')),
    originBanner: viewFromCacheLink(config),
  };

  const logger = createLogger(config.logLevel);
  const readiness: Readiness = { ready: true };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogger(logger));
  app.use(securityHeaders);
  app.use(healthRoutes(readiness));
  app.use(express.static(fromRoot('public'), { maxAge: '1h' }));
  app.use(cookieParser());
  // Steps 2–3: amp-form posts here; the API decides between applying and redirecting.
  app.use(
    createCartApi({
      publicOrigin: config.publicOrigin,
      changeKey,
      catalog,
      carts,
      corsGate: ampCorsGate(allowed, caches),
      sessions,
    }),
  );
  // Step 1: every page gives the shopper a session cookie if there is none.
  app.use(sessions, loadShopperCart(carts));
  // Step 4: the origin GET that applies a change carried by AMP-Redirect-To.
  app.use(
    createApplyOnOrigin({
      catalog,
      carts,
      showProblem: problemShower(pages),
      changeKey,
      nonces: new MemoryNonceStore(),
    }),
  );
  app.use(createPageRouter(pages));
  app.use(notFoundHandler(pages));
  return { app, config, logger, readiness, catalog, carts, sessionStore };
}

/** On origin pages, a discreet link to the same page on the local AMP cache (when it runs). */
function viewFromCacheLink(config: Config): PageDeps['originBanner'] {
  const cache = config.localCache;
  if (!cache) return undefined;
  return (req) => ({
    href: cacheUrlFor(config.publicOrigin, cache.origin, req.originalUrl),
    label: 'View this page from the AMP cache',
  });
}
