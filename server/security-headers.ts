// Security headers that fit AMP pages. Helmet's defaults are close, with these exceptions:
// - Content-Security-Policy: AMP's own policy (below), not helmet's default, which would block the
//   AMP runtime;
// - no X-Frame-Options (nor frame-ancestors): AMP viewers (e.g. a search results page) embed AMP
//   pages in iframes;
// - Cross-Origin-Resource-Policy: cross-origin, because cache pages load the shop's images.
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { paths } from './paths';

const AMP_CDN = 'https://cdn.ampproject.org';

/** The Reporting API's name for the shop's report endpoint (Reporting-Endpoints, report-to). */
export const CSP_REPORT_GROUP = 'csp-endpoint';

/**
 * AMP's documented policy (https://amp.dev/documentation/guides-and-tutorials/optimize-and-measure/secure-pages):
 * scripts only from the AMP CDN (the runtime, its module build, extensions, versioned and LTS
 * copies, the viewer integration) and `blob:` (the runtime starts its web worker from one);
 * styles inline, as AMP requires; no plugins. On top of it, the shop's own origin — named
 * explicitly, because on the local AMP cache `'self'` is the cache — is the only place forms post
 * to and amp-list reads from (plus the CDN, where the runtime fetches its worker), and the only
 * place reports go. The same policy serves the shop's pages and the local cache's copies of them.
 */
export function contentSecurityPolicy(publicOrigin: string): Record<string, string[]> {
  const shop = ["'self'", publicOrigin];
  return {
    'default-src': shop,
    'script-src': [
      'blob:',
      `${AMP_CDN}/v0.js`,
      `${AMP_CDN}/v0.mjs`,
      `${AMP_CDN}/v0/`,
      `${AMP_CDN}/viewer/`,
      `${AMP_CDN}/rtv/`,
      `${AMP_CDN}/lts/`,
    ],
    'style-src': ["'unsafe-inline'", `${AMP_CDN}/rtv/`],
    'img-src': [...shop, 'data:', 'blob:'],
    'connect-src': [...shop, AMP_CDN],
    'form-action': shop,
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'report-uri': [new URL(paths.cspReports, publicOrigin).href],
    'report-to': [CSP_REPORT_GROUP],
  };
}

export function securityHeaders(publicOrigin: string): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(publicOrigin) },
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  // Where `report-to` sends reports (the Reporting API); `report-uri` serves older browsers.
  const endpoints = `${CSP_REPORT_GROUP}="${new URL(paths.cspReports, publicOrigin).href}"`;
  return (req, res, next) => {
    res.set('Reporting-Endpoints', endpoints);
    headers(req, res, next);
  };
}
