// AMP cache URLs for the local cache (docs/amp-protocol.md, "Cache URLs"): `/c/s/<host>/<path>`
// serves https://<host>/<path>, `/c/<host>/<path>` serves http://<host>/<path>. A real cache URL cannot
// carry a port; the local one keeps the origin's port in <host> (`/c/localhost:8080/cart`), and
// only ever serves the configured shop origin, so it can never become an open proxy.

export type CachePath =
  { ok: true; upstreamPath: string } | { ok: false; status: 400 | 404; message: string };

/** The cache URL of an origin page: the "view this page from the AMP cache" link. */
export function cacheUrlFor(
  publicOrigin: string,
  cacheOrigin: string,
  pathAndQuery: string,
): string {
  const { protocol, host } = new URL(publicOrigin);
  const secure = protocol === 'https:' ? 's/' : '';
  return `${cacheOrigin}/c/${secure}${host}${pathAndQuery}`;
}

/** Maps a cache request path (with its query) back to the path on the origin. */
export function parseCachePath(pathAndQuery: string, publicOrigin: string): CachePath {
  const match = /^\/c\/(s\/)?([^/?#]*)([^?#]*)(\?[^#]*)?$/.exec(pathAndQuery);
  if (!match || !match[2]) {
    return {
      ok: false,
      status: 400,
      message: 'A cache URL looks like /c/<host>/<path> or /c/s/<host>/<path>.',
    };
  }
  const [, secure, host, rawPath, query = ''] = match;
  const origin = new URL(publicOrigin);
  if (Boolean(secure) !== (origin.protocol === 'https:') || host.toLowerCase() !== origin.host) {
    return { ok: false, status: 404, message: `This local cache only serves ${origin.host}.` };
  }
  const path = rawPath || '/';
  const segments = path.split('/').map(decodeSegment);
  if (segments.includes(undefined)) {
    return { ok: false, status: 400, message: 'This cache URL has a malformed %-escape.' };
  }
  if (segments.some(isDotSegment)) {
    return { ok: false, status: 400, message: 'Cache URLs may not contain "." or ".." segments.' };
  }
  return { ok: true, upstreamPath: path + query };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function isDotSegment(decoded: string | undefined): boolean {
  return decoded === '.' || decoded === '..' || Boolean(decoded?.match(/[/\\]/));
}
