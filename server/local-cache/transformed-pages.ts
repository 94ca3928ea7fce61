// The cache transform (the AMP optimizer) takes ~30 ms a page, and the cache fetches pages
// without cookies, so every visitor gets the same origin page: transform each one once. The key
// is a hash of the page URL and the origin's HTML, so a page the origin changes (a price, a new
// product) is transformed again; a small LRU bounds the memory.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export type CacheTransform = (html: string, pageUrl: string) => Promise<string>;

/** Each entry is one page (~50 KB): a hundred pages stay around 5 MB. */
const MAX_PAGES = 100;

/** `transform`, remembered: the result comes as UTF-8 bytes, encoded once too. */
export function rememberTransformedPages(
  transform: CacheTransform,
): (html: string, pageUrl: string) => Promise<Buffer> {
  const pages = new LRUCache<string, Promise<Buffer>>({ max: MAX_PAGES });
  return (html, pageUrl) => {
    const key = createHash('sha256').update(`${pageUrl}\n`).update(html).digest('base64');
    const known = pages.get(key);
    if (known) return known;
    // The promise is what is kept, so requests that arrive during the transform share it.
    const page = transform(html, pageUrl).then((transformed) => Buffer.from(transformed));
    pages.set(key, page);
    // A failed transform is not remembered: the next request tries again.
    page.catch(() => {
      if (pages.peek(key) === page) pages.delete(key);
    });
    return page;
  };
}
