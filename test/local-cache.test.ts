// The local AMP cache, over real HTTP: what it does to pages, and what it refuses to do.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { createLocalCache } from '../server/local-cache/local-cache';
import { rememberTransformedPages } from '../server/local-cache/transformed-pages';
import type { RunningBestClips } from '../server/start';
import { expectValidAmp } from './helpers/amp-validator';
import { startShopAndCache } from './helpers/running';

describe('the local cache serving the real shop', () => {
  let running: RunningBestClips;
  let originHost: string;

  beforeAll(async () => {
    running = await startShopAndCache('local-cache-test-secret');
    originHost = new URL(running.originUrl).host;
  });
  afterAll(() => running.close());

  const cache = () => request(running.cacheUrl!);

  it('serves a valid AMP page with the cache modifications', async () => {
    const res = await cache()
      .get(`/c/${originHost}/products/superclip`)
      .set('Accept-Encoding', 'gzip, deflate, br')
      .expect(200);
    expect(res.headers['content-encoding']).toBe('br');
    const html = res.text;
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(html).toContain(`action-xhr="//${originHost}/api/cart/add"`);
    // The "in your cart" part still asks the shop, with credentials.
    expect(html).toContain(
      `src="//${originHost}/api/cart/product/superclip" credentials="include"`,
    );
    expect(html).toContain(`href="${running.originUrl}/cart"`);
    // Every link opens in the top window, except a link within the page (the skip link).
    expect(html).not.toMatch(/<a (?![^>]*target=)(?![^>]*href="#)[^>]*>/);
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain(
      'Served by the local AMP cache — the shop’s cookies are third-party here.',
    );
    expect(html).not.toContain('View this page from the AMP cache');
    // The banner is a landmark of its own, after the skip link, which stays the first link.
    expect(html).toMatch(
      /<body[^>]*>\s*<a class="skip-link" href="#main">Skip to content<\/a>\s*<aside class="cache-banner" aria-label="AMP cache">/,
    );
    expect(html).toContain('transformed="self;v=1"');
    // Still server-side rendered: no boilerplate hiding the page until the runtime loads.
    expect(html).toMatch(/<html[^>]* i-amphtml-no-boilerplate/);
    expect(html).not.toContain('amp-boilerplate');
    expect(html.match(/cdn\.ampproject\.org\/v0\.m?js/g)).toHaveLength(2);
    await expectValidAmp(html, 'cached product page');
  });

  it.each(['/checkout', '/contact'])(
    'serves %s as a valid AMP page whose form and cart badge still reach the shop',
    async (path) => {
      const html = (await cache().get(`/c/${originHost}${path}`).expect(200)).text;
      expect(html).toContain(`action-xhr="//${originHost}/api${path}"`);
      // amp-list's src must be https or protocol-relative for the validator, like form actions.
      expect(html).toContain(`src="//${originHost}/api/cart/summary"`);
      // The cache fetched the page without a cookie: the badge claims no count.
      expect(html).toContain('<div placeholder><span class="cart-badge-now">Cart</span>');
      await expectValidAmp(html, `cached ${path} page`);
    },
  );

  it('shows origin pages a link to their cache copy, and keeps the query string', async () => {
    const origin = await request(running.originUrl).get('/?sort=name').expect(200);
    const link = `${running.cacheUrl}/c/${originHost}/?sort=name`;
    expect(origin.text).toContain(`href="${link}"`);
    const cached = await cache().get(`/c/${originHost}/?sort=name`).expect(200);
    expect(cached.text).toContain('Binder Clips');
    await expectValidAmp(cached.text, 'cached listing page');
  });

  it.each([
    ['/c/', 400],
    [`/c/other.example/`, 404],
    [`/c/s/${'x'}/`, 404],
    [`/c/${'localhost'}:1/`, 404],
    ['/c/HOST/%2e%2e/etc/passwd', 400],
    ['/c/HOST/no-such-page', 404],
    ['/c/HOST/products/no-such-product', 404],
    ['/c/HOST/products/%E0%A4%A', 400],
    ['/elsewhere', 404],
  ])('answers %s with %i and a readable page', async (path, status) => {
    const res = await cache().get(path.replace('HOST', originHost)).expect(status);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toMatch(/<h1>[^<]+<\/h1>/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('the local cache in front of a stand-in origin', () => {
  let origin: Server;
  let originUrl: string;
  const seen: { path: string; cookie: string | undefined }[] = [];

  beforeAll(async () => {
    const app = express();
    app.use((req, _res, next) => {
      seen.push({ path: req.originalUrl, cookie: req.get('cookie') });
      next();
    });
    app.get('/page', (_req, res) => {
      res
        .cookie('tracker', '1')
        .type('html')
        .send('<html><head></head><body><a href="/x">x</a></body></html>');
    });
    app.get('/old', (_req, res) => res.redirect(301, '/page'));
    app.get('/away', (_req, res) => res.redirect(302, 'https://evil.example/'));
    app.get('/loop', (_req, res) => res.redirect(302, '/loop'));
    app.get('/boom', (_req, res) => res.status(500).send('oops'));
    app.get('/data', (_req, res) => res.json({}));
    origin = app.listen(0);
    await new Promise((done) => origin.once('listening', done));
    originUrl = `http://localhost:${(origin.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => origin.close(done)));

  function cacheApp() {
    return createLocalCache({
      publicOrigin: originUrl,
      upstream: { origin: originUrl },
      transform: async (html, pageUrl) => `${html}<!-- ${pageUrl} -->`,
    });
  }
  const host = () => new URL(originUrl).host;

  it('never forwards cookies to the origin and never passes one back', async () => {
    seen.length = 0;
    const res = await request(cacheApp())
      .get(`/c/${host()}/page`)
      .set('Cookie', 'bestclips.sid=secret')
      .expect(200);
    expect(seen).toEqual([{ path: '/page', cookie: undefined }]);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('follows origin redirects that stay on the origin', async () => {
    const res = await request(cacheApp()).get(`/c/${host()}/old`).expect(200);
    expect(res.text).toContain(`<!-- ${originUrl}/page -->`);
  });

  it.each(['/away', '/loop', '/boom', '/data'])('answers 404 for %s', async (path) => {
    await request(cacheApp()).get(`/c/${host()}${path}`).expect(404);
  });

  it('answers a page that cannot be transformed with a 502 page, not a stack trace', async () => {
    const app = createLocalCache({
      publicOrigin: originUrl,
      upstream: { origin: originUrl },
      transform: async () => {
        throw new Error('the optimizer failed');
      },
    });
    const res = await request(app).get(`/c/${host()}/page`).expect(502);
    expect(res.text).toContain('<h1>The cache could not serve this page</h1>');
    expect(res.text).not.toMatch(/ at |node_modules/);
  });
});

describe('transformed pages are remembered', () => {
  function counting(transform = async (html: string, url: string) => `${html} @ ${url}`) {
    const calls: string[] = [];
    const remembered = rememberTransformedPages(async (html, url) => {
      calls.push(html);
      return transform(html, url);
    });
    return { calls, remembered };
  }

  it('transforms an origin page once, and again when the origin changes it', async () => {
    const { calls, remembered } = counting();
    const page = await remembered('<p>v1 ’</p>', 'https://shop.example/a');
    expect(page.toString()).toBe('<p>v1 ’</p> @ https://shop.example/a');
    await remembered('<p>v1 ’</p>', 'https://shop.example/a');
    await remembered('<p>v1 ’</p>', 'https://shop.example/b'); // another URL, another page
    await remembered('<p>v2 ’</p>', 'https://shop.example/a');
    expect(calls).toEqual(['<p>v1 ’</p>', '<p>v1 ’</p>', '<p>v2 ’</p>']);
  });

  it('shares one transform between requests that arrive during it', async () => {
    const { calls, remembered } = counting();
    const pages = await Promise.all([1, 2, 3].map(() => remembered('<p>x</p>', 'https://s/x')));
    expect(calls).toHaveLength(1);
    expect(new Set(pages).size).toBe(1);
  });

  it('does not remember a failed transform', async () => {
    let fail = true;
    const { calls, remembered } = counting(async (html) => {
      if (fail) throw new Error('optimizer failed');
      return html;
    });
    await expect(remembered('<p>x</p>', 'https://s/x')).rejects.toThrow('optimizer failed');
    fail = false;
    await expect(remembered('<p>x</p>', 'https://s/x')).resolves.toEqual(Buffer.from('<p>x</p>'));
    expect(calls).toHaveLength(2);
  });
});
