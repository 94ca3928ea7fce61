// Files in public/ are served under their own paths (server/static-files.ts), with caching headers,
// and nothing else is looked up on disk.
import fs from 'node:fs';
import request from 'supertest';
import type { Shop } from '../server/app';
import { fromRoot } from '../server/project-root';
import { testShop } from './helpers/shop';

let shop: Shop;
beforeAll(async () => {
  shop = await testShop();
}, 60_000);

it.each(['/favicon.svg', '/images/superclip.svg'])(
  '%s is served with an ETag, a max age, and no session',
  async (path) => {
    const res = await request(shop.app).get(path).expect(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers.etag).toBeDefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body.toString()).toBe(fs.readFileSync(fromRoot('public', path)).toString());
  },
);

it('answers a file that is not there with the AMP 404 page', async () => {
  const res = await request(shop.app).get('/images/nothing-here.svg').expect(404);
  expect(res.text).toContain('<html amp');
});

it('sends per-shopper pages without an ETag (never stored); shared pages carry their own', async () => {
  const cart = await request(shop.app).get('/cart').expect(200);
  expect(cart.headers.etag).toBeUndefined();
  expect(cart.headers['cache-control']).toBe('no-store');
  const listing = await request(shop.app).get('/').expect(200);
  expect(listing.headers.etag).toMatch(/^"[\w-]+"$/);
});
