// The shop, put together: its stores and parts, the middleware every request passes, then the
// route table (routes.ts). Each piece lives in its own module.
import express from 'express';
import type session from 'express-session';
import type { CartStore } from './cart/cart-store';
import { loadCatalog } from './catalog/load-catalog';
import type { Catalog } from './catalog/types';
import type { Config } from './config';
import type { MessageBox } from './contact/message-box';
import { computeAllowedOrigins, loadCacheList } from './amp/allowed-origins';
import { ampCorsGate } from './amp/amp-cors';
import { deriveLinkKey } from './amp/signed-link';
import { observeAll, type FlowObserver } from './flow/flow-events';
import { FlowTraces } from './flow/flow-trace';
import { createSessionMiddleware, setSessionCookieName } from './flow/1-session-cookie';
import { cacheUrlFor } from './local-cache/cache-url';
import type { OrderStore } from './orders/order-store';
import { createOrderPlacer } from './orders/place-order';
import { confirmationShower } from './pages/checkout-pages';
import { problemShower, type PageDeps, type SharedPageDeps } from './pages/shop-pages';
import { createPageRenderer } from './pages/renderer';
import { SHARED_PAGE_BYTES, SharedDocuments } from './pages/shared-documents';
import type { Readiness } from './health';
import { createLogger, requestLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { createRateLimiters } from './rate-limits';
import { BoundedReportLog } from './csp-reports';
import { fromRoot } from './project-root';
import { addRoutes } from './routes';
import { securityHeaders } from './security-headers';
import { staticFiles } from './static-files';
import { requestErrorHandler } from './request-errors';
import { storeUnavailableHandler } from './store-unavailable';
import type { MemoryLimits } from './stores/memory/bounded-lru';
import { VISITOR_STATE_LIMITS } from './stores/memory/limits';
import type { ShopStores } from './stores/shop-stores';
import { createStores } from './stores/stores';

export interface Shop {
  app: express.Express;
  config: Config;
  logger: Logger;
  readiness: Readiness;
  catalog: Catalog;
  carts: CartStore;
  sessionStore: session.Store;
  /** The in-memory stores, when state is in this process (no REDIS_URL). */
  memory: ShopStores['memory'];
  orders: OrderStore;
  messages: MessageBox;
  /** Request timings and the flow's counters; served as configured (config.metricsPort). */
  metrics: Metrics;
  /** The shared pages built so far (listing, products, contact, 404), as bytes. */
  sharedPages: SharedDocuments;
  /** Closes the connection to the shared store (after the servers have stopped). */
  close(): Promise<void>;
}

export interface ShopOptions {
  /** Bounds on sessions, carts and orders kept in memory (tests use small ones and a fake clock). */
  memory?: MemoryLimits;
  /** Where log lines go (tests collect them); by default JSON on stdout at config.logLevel. */
  logger?: Logger;
}

export async function createShop(config: Config, options: ShopOptions = {}): Promise<Shop> {
  const memory = options.memory ?? VISITOR_STATE_LIMITS;
  const catalog = loadCatalog(config.catalogFile, fromRoot('public'));
  const logger = options.logger ?? createLogger(config.logLevel);
  // Sessions, carts (and the apply links already used), orders, held checkouts, traces, messages
  // and limit counts: in this process, or in Redis when REDIS_URL is set.
  const stores = await createStores(config, catalog, memory, logger);
  const { carts, sessionStore, orders, pending, messages } = stores;
  const metrics = createMetrics();
  // What the server saw of each cart change, for the cart page's trace panel.
  const traces = config.flowTrace ? new FlowTraces(stores.traceRecords) : undefined;
  // The flow's steps report what happened; the metrics and the trace panel listen.
  const observers: FlowObserver[] = [metrics.observe, ...(traces ? [traces.observe] : [])];
  const observe = observeAll(observers, (error, event) =>
    logger.warn({ event: event.type, reason: String(error) }, 'Flow observer failed'),
  );
  const placeOrder = createOrderPlacer({ catalog, orders, observe });
  // One key signs every origin link (cart changes, orders); each link is single-use.
  const linkKey = deriveLinkKey(config.sessionSecret);
  const caches = loadCacheList(fromRoot('data', 'amp-caches.json'));
  const allowed = await computeAllowedOrigins(
    config.publicOrigin,
    caches,
    config.extraCacheOrigins,
  );
  const corsGate = ampCorsGate(allowed, caches, (reason) =>
    observe({ type: 'caller-refused', reason }),
  );
  const pages: SharedPageDeps = {
    config,
    catalog,
    carts,
    renderer: await createPageRenderer(fromRoot('views')),
    originBanner: viewFromCacheLink(config),
    observe,
    traces,
    documents: new SharedDocuments(SHARED_PAGE_BYTES),
  };

  const readiness: Readiness = { ready: true, checks: stores.readinessChecks };
  const showProblem = problemShower(pages);
  // Per-client abuse limits on form posts, origin links and CSP reports (not on shared pages).
  const limits = createRateLimiters({
    limits: config.rateLimits,
    storeFor: stores.rateLimitStore,
    showProblem,
    logger,
    isUnavailable: stores.isUnavailable,
  });

  const app = express();
  app.disable('x-powered-by');
  // Shared pages carry the ETag made when they were built; everything else is one shopper's and
  // no-store, where hashing each answer buys nothing (express.static makes its own).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(metrics.timeRequests);
  setSessionCookieName(app, config.publicOrigin);
  app.use(requestLogger(logger));
  app.use(securityHeaders(config.publicOrigin));
  app.use(staticFiles(fromRoot('public')));
  // Every route of the shop, in the order of the flow.
  addRoutes(app, {
    config,
    publicOrigin: config.publicOrigin,
    catalog,
    carts,
    orders,
    pending,
    messages,
    log: logger,
    cspLog: new BoundedReportLog(logger),
    observe,
    linkKey,
    placeOrder,
    corsGate,
    limits,
    sessions: createSessionMiddleware(config, sessionStore),
    pages,
    showProblem,
    showConfirmation: confirmationShower(pages),
    readiness,
    metrics,
  });
  // A store that cannot answer (Redis down or slow): a fast 503, as JSON or as a page.
  app.use(storeUnavailableHandler(stores.isUnavailable, showProblem, observe));
  // Anything else that went wrong: a clear 4xx for a request the shop cannot read, else a 500.
  app.use(requestErrorHandler(showProblem));
  return {
    app,
    config,
    logger,
    readiness,
    catalog,
    carts,
    sessionStore,
    memory: stores.memory,
    orders,
    messages,
    metrics,
    sharedPages: pages.documents,
    close: stores.close,
  };
}

/** On origin pages, a discreet link to the same page on the local AMP cache (when it runs). */
function viewFromCacheLink(config: Config): PageDeps['originBanner'] {
  const cache = config.localCache;
  if (!cache) return undefined;
  return (path) => ({
    href: cacheUrlFor(config.publicOrigin, cache.origin, path),
    label: 'View this page from the AMP cache',
  });
}
