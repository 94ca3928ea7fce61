// The local cache's page transform: the cache modifications, then the AMP optimizer's own
// transforms, offline like the shop's. Origin pages arrive already optimized, so two steps that
// are not idempotent are skipped: AddMandatoryTags would put back the boilerplate that server-side
// rendering removed (hiding the page until the runtime loads), and RewriteAmpUrls would add a
// second module/nomodule pair of runtime scripts.
import { createOfflineOptimizer } from '../pages/optimizer';
import { CacheModifications, type CachePageParams } from './cache-modifications';

export function createCacheTransform(): (html: string, pageUrl: string) => Promise<string> {
  const optimize = createOfflineOptimizer(
    [CacheModifications],
    ['AddMandatoryTags', 'RewriteAmpUrls'],
  );
  return (html, pageUrl) => {
    const localCachePage: CachePageParams = { pageUrl };
    return optimize(html, { localCachePage });
  };
}
