// Prometheus metrics (prom-client): how long each request took, by route and status, and what the
// flow did with each change, link and order. The flow's steps only report events
// (flow/flow-events.ts); the counting happens here.
import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';
import { CALLER_REFUSALS } from './amp/amp-cors';
import { LINK_REFUSALS, type FlowObserver } from './flow/flow-events';

export interface Metrics {
  registry: Registry;
  /** Counts the flow's events. */
  observe: FlowObserver;
  /** Times every request; mount it first. */
  timeRequests: RequestHandler;
  /** GET /metrics: the Prometheus text format. */
  serve: RequestHandler;
}

/** Static files and URLs no route knows (their status tells them apart). */
export const NO_ROUTE = '(no route)';

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Histogram({
    name: 'bestclips_http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern and status (_count: requests answered).',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const counter = <Label extends string>(name: string, help: string, labelNames: Label[] = []) =>
    new Counter({ name, help, labelNames, registers });
  const changes = counter(
    'bestclips_cart_changes_total',
    'Cart changes posted by amp-form: applied directly, or redirected to the origin.',
    ['path'],
  );
  const links = counter(
    'bestclips_apply_links_total',
    'Apply links opened on the origin, by outcome (applied, or why they changed nothing).',
    ['outcome'],
  );
  const refusedCallers = counter(
    'bestclips_amp_callers_refused_total',
    'Requests the AMP CORS gate refused before any side effect, by reason.',
    ['reason'],
  );
  const orders = counter('bestclips_orders_placed_total', 'Orders placed.');
  const unavailable = counter(
    'bestclips_store_unavailable_total',
    'Requests answered 503 because a store (Redis) could not answer.',
  );
  // Every outcome is a series from the start, at 0, so a rate() sees its first event.
  for (const path of ['direct', 'redirected']) changes.inc({ path }, 0);
  for (const outcome of ['applied', ...LINK_REFUSALS]) links.inc({ outcome }, 0);
  for (const reason of CALLER_REFUSALS) refusedCallers.inc({ reason }, 0);

  const observe: FlowObserver = (event) => {
    switch (event.type) {
      case 'change-applied':
        return changes.inc({ path: 'direct' });
      case 'change-redirected':
        return changes.inc({ path: 'redirected' });
      case 'link-applied':
        return links.inc({ outcome: 'applied' });
      case 'link-refused':
        return links.inc({ outcome: event.reason });
      case 'caller-refused':
        return refusedCallers.inc({ reason: event.reason });
      case 'order-placed':
        return orders.inc();
      case 'store-unavailable':
        return unavailable.inc();
    }
  };

  const timeRequests: RequestHandler = (req, res, next) => {
    const stop = requests.startTimer();
    // 'close' comes after 'finish' too: aborted requests are timed as well.
    res.once('close', () => {
      stop({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  };

  const serve: RequestHandler = async (_req, res) => {
    const text = await registry.metrics();
    res.set('Cache-Control', 'no-store').type(registry.contentType).send(text);
  };

  return { registry, observe, timeRequests, serve };
}

/** The route's pattern (`/products/:slug`), never the URL itself: one series per route. */
function routeOf(req: Request): string {
  const route: unknown = req.route;
  if (route && typeof route === 'object' && 'path' in route && typeof route.path === 'string') {
    return req.baseUrl + route.path;
  }
  return NO_ROUTE;
}
