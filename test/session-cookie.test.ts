// The session cookie's name: `__Host-bestclips.sid` where the origin is HTTPS (Secure, Path=/, no
// Domain: no other host can set or overwrite it), `bestclips.sid` on plain-http development
// origins, where browsers do not honour the prefix. Every part of the flow reads the same name.
import request from 'supertest';
import type { Shop } from '../server/app';
import { sessionCookieName } from '../server/flow/1-session-cookie';
import { testShop } from './helpers/shop';

const HTTPS_ORIGIN = 'https://shop.example';

describe('sessionCookieName', () => {
  it('uses the __Host- prefix on HTTPS origins only', () => {
    expect(sessionCookieName('https://shop.example')).toBe('__Host-bestclips.sid');
    expect(sessionCookieName('https://shop.example:8443')).toBe('__Host-bestclips.sid');
    expect(sessionCookieName('http://localhost:8080')).toBe('bestclips.sid');
  });
});

describe('an HTTPS origin behind a TLS-terminating proxy', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await testShop({ PUBLIC_ORIGIN: HTTPS_ORIGIN, TRUST_PROXY: 'loopback' });
  });
  const viaProxy = (req: request.Test) => req.set('X-Forwarded-Proto', 'https');

  const summary = (cookie?: string) => {
    const req = request(shop.app)
      .get(`/api/cart/summary?__amp_source_origin=${encodeURIComponent(HTTPS_ORIGIN)}`)
      .set('AMP-Same-Origin', 'true');
    return viaProxy(cookie ? req.set('Cookie', cookie) : req).expect(200);
  };

  /** Step 1: an origin page's first credentialed request (the badge) brings the cookie. */
  async function visit() {
    const res = await summary();
    const header = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
    return { header, cookie: header.split(';')[0] };
  }

  it('sets __Host-bestclips.sid with Secure and Path=/ and no Domain', async () => {
    const { header } = await visit();
    expect(header).toMatch(/^__Host-bestclips\.sid=s%3A/);
    const attributes = header
      .split(';')
      .slice(1)
      .map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(['path=/', 'secure', 'httponly', 'samesite=none']),
    );
    expect(attributes.some((attribute) => attribute.startsWith('domain='))).toBe(false);
  });

  it('is the cookie the flow reads; a plain-named one set by another host is not', async () => {
    const { cookie } = await visit();
    const add = await viaProxy(
      request(shop.app)
        .post(`/api/cart/add?__amp_source_origin=${encodeURIComponent(HTTPS_ORIGIN)}`)
        .set('Origin', HTTPS_ORIGIN)
        .set('AMP-Same-Origin', 'true')
        .set('Cookie', cookie)
        .field({ sku: 'SC-NAT-100', quantity: '2' }),
    ).expect(200);
    // The same session, not a new one (the first change stores it, and may renew the cookie).
    const renewed = ([] as string[]).concat(add.headers['set-cookie'] ?? []);
    for (const header of renewed) expect(header.split(';')[0]).toBe(cookie);
    expect((await summary(cookie)).body).toMatchObject({ known: true, count: 2 });
    // The same value under the unprefixed name (cookie tossing from a sibling host) names nothing.
    const tossed = cookie.replace('__Host-bestclips.sid', 'bestclips.sid');
    // It is ignored like no cookie at all: a fresh, empty session is issued instead.
    const answer = await summary(tossed);
    expect(answer.body).toMatchObject({ known: true, count: 0 });
    const fresh = ([] as string[]).concat(answer.headers['set-cookie'] ?? [])[0] ?? '';
    expect(fresh).toMatch(/^__Host-bestclips\.sid=s%3A/);
    expect(fresh.split(';')[0]).not.toBe(cookie);
  });
});
