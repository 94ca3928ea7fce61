// Who may call the cart API: the shop's own origin and its pages on AMP caches.
// The cache list ships in data/amp-caches.json (a snapshot of cdn.ampproject.org/caches.json), so
// nothing is fetched at run time.
import { readFileSync } from 'node:fs';
import { createCurlsSubdomain } from '@ampproject/toolbox-cache-url';
import { z } from 'zod';
import type { AmpCache } from '@ampproject/toolbox-cors';

export interface AllowedOrigins {
  /** The publisher origin (PUBLIC_ORIGIN). */
  publisher: string;
  /** `https://<curls subdomain of the publisher>.<cacheDomain>` for each listed cache. */
  listedCaches: ReadonlySet<string>;
  /** Configured extra caches (the local cache). The AMP runtime does not know it is on one of
   * these, so it sends the cache page's own origin as `__amp_source_origin`. */
  extraCaches: ReadonlySet<string>;
}

const cacheListSchema = z.object({
  caches: z.array(z.object({ id: z.string(), cacheDomain: z.string().min(1) })).min(1),
});

export function loadCacheList(filePath: string): AmpCache[] {
  return cacheListSchema.parse(JSON.parse(readFileSync(filePath, 'utf8'))).caches;
}

export async function computeAllowedOrigins(
  publisher: string,
  caches: readonly AmpCache[],
  extraCacheOrigins: readonly string[],
): Promise<AllowedOrigins> {
  const subdomain = await createCurlsSubdomain(publisher);
  return {
    publisher,
    listedCaches: new Set(caches.map((cache) => `https://${subdomain}.${cache.cacheDomain}`)),
    extraCaches: new Set(extraCacheOrigins),
  };
}
