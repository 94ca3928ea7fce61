// Requests as the AMP runtime sends them (see test/helpers/shop.ts): an amp-form POST carries
// `__amp_source_origin`, `Origin`, and `AMP-Same-Origin: true` only on the shop's own pages. The
// body is multipart, amp-form's default.
import type { CartChange } from '../server/cart/cart';

const BOUNDARY = 'BenchBoundary7MA4YWxkTrZu0gW';

export type PageLocation = 'origin' | 'local-cache';

export interface AmpPost {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export function ampCartPost(
  change: Exclude<CartChange, { op: 'remove' }>,
  from: PageLocation,
  origins: { publicOrigin: string; cacheOrigin: string },
  cookie?: string,
): AmpPost {
  // On the local cache the runtime cannot tell it is on a cache: it sends the page's own origin.
  const pageOrigin = from === 'origin' ? origins.publicOrigin : origins.cacheOrigin;
  const headers: Record<string, string> = {
    accept: 'application/json',
    origin: pageOrigin,
    'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
  };
  if (from === 'origin') headers['amp-same-origin'] = 'true';
  if (cookie) headers.cookie = cookie;
  return {
    path: `/api/cart/${change.op}?__amp_source_origin=${encodeURIComponent(pageOrigin)}`,
    headers,
    body: multipart({ sku: change.sku, quantity: String(change.quantity) }),
  };
}

function multipart(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
}
