// Before a cart API request may change anything, decide who sent it (AMP CORS: docs/amp-protocol.md,
// "Who may call"). Pure: it sees three values the AMP runtime controls and the allow-list, nothing
// else.
import type { AllowedOrigins } from './allowed-origins';

export interface AmpRequestHeaders {
  /** The `Origin` request header, if any. */
  origin: string | undefined;
  /** The `AMP-Same-Origin` request header: the runtime sends `true` only on the publisher origin. */
  ampSameOrigin: string | undefined;
  /** The `__amp_source_origin` query parameter the runtime appends to every form URL. */
  sourceOrigin: string | undefined;
}

export type AmpRequestVerdict =
  | { allowed: true; from: 'origin' | 'cache'; origin: string }
  | { allowed: false; status: 400 | 403; error: string };

const NOT_ALLOWED = 'This request came from a site that is not allowed to change a BestClips cart.';

export function verifyAmpRequest(
  request: AmpRequestHeaders,
  allowed: AllowedOrigins,
): AmpRequestVerdict {
  const { origin, sourceOrigin } = request;
  if (!sourceOrigin) {
    return deny(400, 'Please use the shop page to change your cart (no AMP source origin).');
  }
  if (request.ampSameOrigin === 'true') {
    // Same-origin page. Browsers also send Origin on same-origin POSTs; if present it must match.
    if (origin !== undefined && origin !== allowed.publisher) return deny(403, NOT_ALLOWED);
    if (sourceOrigin !== allowed.publisher) return deny(403, NOT_ALLOWED);
    return { allowed: true, from: 'origin', origin: allowed.publisher };
  }
  if (origin === undefined) {
    return deny(400, 'Please use the shop page to change your cart (no Origin header).');
  }
  if (origin === allowed.publisher && sourceOrigin === allowed.publisher) {
    return { allowed: true, from: 'origin', origin };
  }
  if (allowed.listedCaches.has(origin) && sourceOrigin === allowed.publisher) {
    return { allowed: true, from: 'cache', origin };
  }
  if (
    allowed.extraCaches.has(origin) &&
    (sourceOrigin === allowed.publisher || sourceOrigin === origin)
  ) {
    return { allowed: true, from: 'cache', origin };
  }
  return deny(403, NOT_ALLOWED);
}

function deny(status: 400 | 403, error: string): AmpRequestVerdict {
  return { allowed: false, status, error };
}
