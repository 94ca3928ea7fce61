import request from 'supertest';
import type { Shop } from '../server/app';
import { SHARED_CACHE_CONTROL } from '../server/pages/shared-documents';
import { ampPost, testShop } from './helpers/shop';

let shop: Shop;
beforeAll(async () => {
  shop = await testShop();
});

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
    '%s: nosniff, a referrer policy, its cache policy, no framing ban, no CSP, no x-powered-by',
    async (_name, send, cacheControl = 'no-store') => {
      const res = await send();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['cache-control']).toBe(cacheControl);
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['content-security-policy']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    },
  );

  it('lets cache pages on other sites load the shop’s images', async () => {
    const res = await request(shop.app).get('/images/superclip.svg').expect(200);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toMatch(/max-age=3600/);
  });
});
