// Security headers that fit AMP, and the Content-Security-Policy: AMP's documented policy plus the
// shop's own origin, on the shop's pages and on the local AMP cache's copies (another origin),
// allowing everything those pages load and post to — and nothing from anywhere else.
import request from 'supertest';
import type { Shop } from '../server/app';
import { SHARED_CACHE_CONTROL } from '../server/pages/shared-documents';
import type { RunningBestClips } from '../server/start';
import { allows, inlineScripts, pageResources, parsePolicy } from './helpers/csp';
import { startShopAndCache } from './helpers/running';
import { ampPost, ORIGIN, testShop } from './helpers/shop';

let shop: Shop;
beforeAll(async () => {
  shop = await testShop();
});

const AMP_SCRIPTS = [
  'blob:',
  'https://cdn.ampproject.org/v0.js',
  'https://cdn.ampproject.org/v0.mjs',
  'https://cdn.ampproject.org/v0/',
  'https://cdn.ampproject.org/viewer/',
  'https://cdn.ampproject.org/rtv/',
  'https://cdn.ampproject.org/lts/',
];

describe('security headers that fit AMP', () => {
  it.each([
    ['a product page', () => request(shop.app).get('/products/superclip'), SHARED_CACHE_CONTROL],
    ['the cart page', () => request(shop.app).get('/cart')],
    ['a 404 page', () => request(shop.app).get('/nowhere'), SHARED_CACHE_CONTROL],
    [
      'the cart API',
      () =>
        ampPost(shop, '/api/cart/add', {
          from: 'origin',
          fields: { sku: 'SC-NAT-100', quantity: '1' },
        }),
    ],
    ['the apply path', () => request(shop.app).get('/cart/apply?op=add')],
  ])(
    '%s: nosniff, a referrer policy, its cache policy, AMP’s CSP, no framing ban, no x-powered-by',
    async (_name, send, cacheControl = 'no-store') => {
      const res = await send();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['cache-control']).toBe(cacheControl);
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
      const policy = parsePolicy(res.headers['content-security-policy']);
      expect(policy.get('script-src')).toEqual(AMP_SCRIPTS);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      expect(policy.get('connect-src')).toEqual(["'self'", ORIGIN, 'https://cdn.ampproject.org']);
      expect(policy.get('form-action')).toEqual(["'self'", ORIGIN]);
      expect(policy.get('report-uri')).toEqual([`${ORIGIN}/csp-reports`]);
      expect(policy.get('report-to')).toEqual(['csp-endpoint']);
      expect(policy.has('frame-ancestors')).toBe(false); // AMP viewers embed the pages
      expect(res.headers['reporting-endpoints']).toBe(`csp-endpoint="${ORIGIN}/csp-reports"`);
    },
  );

  it('lets cache pages on other sites load the shop’s images', async () => {
    const res = await request(shop.app).get('/images/superclip.svg').expect(200);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toMatch(/max-age=3600/);
  });
});

describe('the policy allows what the pages use, on the origin and on the local cache', () => {
  let running: RunningBestClips;
  beforeAll(async () => {
    running = await startShopAndCache('csp-test-secret-0123456789');
  });
  afterAll(() => running?.close());

  const PAGES = ['/', '/products/superclip', '/cart', '/checkout', '/contact'];

  it.each(PAGES)(
    '%s: every script, image, list and form is allowed; no inline script',
    async (path) => {
      const origin = running.originUrl;
      const cachePath = `/c/${new URL(origin).host}${path}`;
      const onOrigin = await request(origin).get(path);
      const onCache = await request(running.cacheUrl!).get(cachePath);
      for (const [res, pageUrl] of [
        [onOrigin, origin + path],
        [onCache, running.cacheUrl + cachePath],
      ] as const) {
        const header = res.headers['content-security-policy'];
        expect(header).toBeDefined();
        const policy = parsePolicy(header);
        // On the cache, 'self' is the cache: the shop's origin must be named for the forms to work.
        expect(policy.get('connect-src')).toContain(origin);
        expect(policy.get('report-uri')).toEqual([`${origin}/csp-reports`]);
        const resources = pageResources(res.text);
        expect(resources.filter((r) => r.directive === 'script-src').length).toBeGreaterThan(1);
        for (const { directive, url } of resources) {
          expect({ directive, url, allowed: allows(policy, directive, url, pageUrl) }).toEqual({
            directive,
            url,
            allowed: true,
          });
        }
        expect(inlineScripts(res.text)).toEqual([]);
      }
      // The cache's copy really does send its forms and lists to another origin than its own.
      if (path === '/products/superclip') {
        expect(
          pageResources(onCache.text).some((r) =>
            r.url.startsWith(`//${new URL(origin).host}/api/`),
          ),
        ).toBe(true);
      }
    },
  );

  it('refuses scripts, posts and lists anywhere else', async () => {
    const res = await request(running.originUrl).get('/');
    const policy = parsePolicy(res.headers['content-security-policy']);
    const page = `${running.originUrl}/`;
    expect(allows(policy, 'script-src', 'https://evil.example/x.js', page)).toBe(false);
    expect(allows(policy, 'script-src', 'https://cdn.ampproject.org/evil.js', page)).toBe(false);
    expect(allows(policy, 'script-src', `${running.originUrl}/x.js`, page)).toBe(false);
    expect(allows(policy, 'connect-src', 'https://evil.example/steal', page)).toBe(false);
    expect(allows(policy, 'form-action', 'https://evil.example/steal', page)).toBe(false);
    expect(allows(policy, 'object-src', `${running.originUrl}/x.swf`, page)).toBe(false);
  });
});
