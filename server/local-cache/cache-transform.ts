// The local cache's page transform: the cache modifications, then the AMP optimizer's own
// transforms, offline like the shop's. Origin pages arrive already optimized, and rewriting the
// runtime URLs a second time would add a second module/nomodule pair, so that one step is skipped.
import { createOfflineOptimizer } from '../pages/optimizer';
import { CacheModifications, type CachePageParams } from './cache-modifications';

export function createCacheTransform(): (html: string, pageUrl: string) => Promise<string> {
  const optimize = createOfflineOptimizer([CacheModifications], ['RewriteAmpUrls']);
  return (html, pageUrl) => {
    const localCachePage: CachePageParams = { pageUrl };
    return optimize(html, { localCachePage });
  };
}
