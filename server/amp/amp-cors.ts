// AMP CORS for the cart API: refuse unknown callers before any side effect, then let
// @ampproject/toolbox-cors write the CORS response headers the AMP runtime needs.
import ampCors, { type AmpCache } from '@ampproject/toolbox-cors';
import type { RequestHandler } from 'express';
import type { AllowedOrigins } from './allowed-origins';
import { verifyAmpRequest } from './verify-amp-request';

/** Who the gate let through: the page's origin, and whether it is the shop's or a cache's. */
export interface AmpCaller {
  from: 'origin' | 'cache';
  origin: string;
}

/**
 * Why the gate turned a caller away before any side effect: the page is on a site that is neither
 * the shop nor an allowed AMP cache (foreign-origin, 403), or the request lacks what the AMP
 * runtime always sends, Origin or `__amp_source_origin` (not-amp, 400).
 */
export const CALLER_REFUSALS = ['foreign-origin', 'not-amp'] as const;
export type CallerRefusal = (typeof CALLER_REFUSALS)[number];

export function ampCorsGate(
  allowed: AllowedOrigins,
  caches: readonly AmpCache[],
  onRefused?: (reason: CallerRefusal) => void,
): RequestHandler {
  // Our own check above has already verified Origin against the same cache list, including local
  // caches toolbox-cors cannot express (http, a port), so toolbox-cors only writes the headers:
  // Access-Control-Allow-Origin (the exact origin), -Allow-Credentials: true and
  // -Expose-Headers: AMP-Redirect-To (without it the runtime cannot read the redirect).
  const writeCorsHeaders = ampCors({ verifyOrigin: false }, { list: async () => [...caches] });

  return (req, res, next) => {
    const verdict = verifyAmpRequest(
      {
        origin: req.get('origin'),
        ampSameOrigin: req.get('amp-same-origin'),
        sourceOrigin: firstString(req.query.__amp_source_origin),
      },
      allowed,
    );
    res.set('Cache-Control', 'no-store');
    res.vary('Origin');
    if (!verdict.allowed) {
      // 403: a site that may not change a cart; 400: not what the AMP runtime sends.
      const reason = verdict.status === 403 ? 'foreign-origin' : 'not-amp';
      onRefused?.(reason);
      res.status(verdict.status).json({ error: verdict.error });
      return;
    }
    res.locals.ampCaller = { from: verdict.from, origin: verdict.origin } satisfies AmpCaller;
    void writeCorsHeaders(req, res, next);
  };
}

function firstString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
