// Security headers that fit AMP pages. Helmet's defaults are close, with three exceptions:
// - no Content-Security-Policy: a strict one blocks the AMP runtime and its inline SSR styles;
// - no X-Frame-Options: AMP viewers (e.g. a search results page) embed AMP pages in iframes;
// - Cross-Origin-Resource-Policy: cross-origin, because cache pages load the shop's images.
import helmet from 'helmet';

export const securityHeaders = helmet({
  contentSecurityPolicy: false,
  frameguard: false,
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
});
