// The local cache's page transform: the cache modifications, then the AMP optimizer's own
// transforms, offline like the shop's. Origin pages arrive already optimized, so two steps that
// are not idempotent are skipped: AddMandatoryTags would put back the boilerplate that server-side
// rendering removed (hiding the page until the runtime loads), and RewriteAmpUrls would add a
// second module/nomodule pair of runtime scripts.
import { createOfflineOptimizer, type OptimizeHtml } from '../pages/optimizer';
import { CacheModifications, type CachePageParams } from './cache-modifications';

export function createCacheTransform(): (html: string, pageUrl: string) => Promise<string> {
  // Made on the first cache request, not at start-up: its transformers (CSS and JS minifiers
  // among them) take ~150 ms to load, which the shop's first page should not wait for.
  let optimize: OptimizeHtml | undefined;
  return (html, pageUrl) => {
    optimize ??= createOfflineOptimizer(
      [CacheModifications],
      ['AddMandatoryTags', 'RewriteAmpUrls'],
    );
    const localCachePage: CachePageParams = { pageUrl };
    return optimize(html, { localCachePage });
  };
}
