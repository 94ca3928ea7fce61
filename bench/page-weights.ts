// Page weights: what a browser downloads for each page's HTML (as served, and gzipped at the
// default level as a compressing proxy would send it), and the size of its custom CSS
// (`<style amp-custom>`, which AMP caps at 75,000 bytes).
import { gzipSync } from 'node:zlib';
import { httpRequest } from './http-client';
import type { ServersInfo } from './servers';

export interface PageWeight {
  page: string;
  htmlBytes: number;
  gzipBytes: number;
  customCssBytes: number;
  /** Content-Encoding the server chose for `Accept-Encoding: gzip, br` (none: sent as is). */
  servedEncoding: string;
}

export async function pageWeights(info: ServersInfo, cookie: string): Promise<PageWeight[]> {
  const host = new URL(info.publicOrigin).host;
  const pages: [string, string, Record<string, string>][] = [
    ['product', `${info.urls.origin}/products/superclip`, {}],
    ['listing', `${info.urls.origin}/`, {}],
    ['cart (3 lines)', `${info.urls.origin}/cart`, { cookie }],
    ['product via cache', `${info.urls.cache}/c/${host}/products/superclip`, {}],
  ];
  const weights: PageWeight[] = [];
  for (const [page, url, headers] of pages) {
    const plain = await httpRequest(url, { headers });
    if (plain.status !== 200) throw new Error(`${page}: ${plain.status}`);
    const compressed = await httpRequest(url, {
      headers: { ...headers, 'accept-encoding': 'gzip, br' },
    });
    const css = /<style amp-custom[^>]*>([\s\S]*?)<\/style>/.exec(plain.body.toString('utf8'));
    weights.push({
      page,
      htmlBytes: plain.body.length,
      gzipBytes: gzipSync(plain.body).length,
      customCssBytes: css ? Buffer.byteLength(css[1]) : 0,
      servedEncoding: String(compressed.headers['content-encoding'] ?? 'none'),
    });
  }
  return weights;
}
