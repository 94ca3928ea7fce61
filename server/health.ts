// Liveness and readiness for orchestrators (Docker HEALTHCHECK, Kubernetes probes). Their routes
// (routes.ts) run no session middleware, so probes never touch one.
import type { RequestHandler } from 'express';

export interface Readiness {
  /** False once shutdown has begun: stop sending new traffic here. */
  ready: boolean;
  /** Stores this instance cannot serve without (Redis, when configured), asked on every probe. */
  checks?: ReadinessCheck[];
}

export interface ReadinessCheck {
  name: string;
  /** Resolves within the store's own timeout; never rejects. */
  isUp(): Promise<boolean>;
}

/** GET paths.liveness: the process answers. */
export const liveness: RequestHandler = (_req, res) => {
  res.set('Cache-Control', 'no-store').json({ status: 'ok' });
};

/** GET paths.readiness: this instance may take traffic (not shutting down, its stores answer). */
export function readinessCheck(readiness: Readiness): RequestHandler {
  return async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!readiness.ready) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    const checks = readiness.checks ?? [];
    const up = await Promise.all(checks.map((check) => check.isUp()));
    const unavailable = checks.filter((_check, i) => !up[i]).map((check) => check.name);
    if (unavailable.length === 0) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', unavailable });
  };
}
