// Liveness and readiness for orchestrators (Docker HEALTHCHECK, Kubernetes probes). Mounted before
// sessions, so probes never create one.
import { Router } from 'express';

export interface Readiness {
  /** False once shutdown has begun: stop sending new traffic here. */
  ready: boolean;
}

export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (readiness.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'shutting down' });
  });
  return router;
}
