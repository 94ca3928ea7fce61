import { createCurlsSubdomain } from '@ampproject/toolbox-cache-url';
import { computeAllowedOrigins, loadCacheList } from '../server/amp/allowed-origins';
import { fromRoot } from '../server/project-root';

describe('allowed origins', () => {
  const caches = loadCacheList(fromRoot('data', 'amp-caches.json'));

  it('ships the Google and Bing caches as data', () => {
    expect(caches.map((cache) => cache.cacheDomain)).toEqual([
      'cdn.ampproject.org',
      'www.bing-amp.com',
    ]);
  });

  it('derives each cache origin from the publisher with the AMP cache subdomain algorithm', async () => {
    const allowed = await computeAllowedOrigins('https://www.example.com', caches, [
      'http://127.0.0.1:8081',
    ]);
    expect([...allowed.listedCaches]).toEqual([
      'https://www-example-com.cdn.ampproject.org',
      'https://www-example-com.www.bing-amp.com',
    ]);
    expect(allowed.extraCaches.has('http://127.0.0.1:8081')).toBe(true);
  });

  // Vectors from the AMP cache URL spec (amp-toolbox spec/AmpUrlSpec.js).
  it.each([
    ['https://something.com', 'something-com'],
    ['https://SOMETHING.COM', 'something-com'],
    ['https://hello-world.com', 'hello--world-com'],
    ['https://en-us.example.com', '0-en--us-example-com-0'],
    ['https://xn--bcher-kva.ch', 'xn--bcher-ch-65a'],
    ['http://localhost:8080', 'jgla3zmib2ggq5buc4hwi5taloh6jlvzukddfr4zltz3vay5s5rq'],
  ])('curls(%s) = %s', async (url, subdomain) => {
    await expect(createCurlsSubdomain(url)).resolves.toBe(subdomain);
  });
});
