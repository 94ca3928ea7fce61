// The local AMP cache, over real HTTP: what it does to pages, and what it refuses to do.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { loadConfig } from '../server/config';
import { createLocalCache } from '../server/local-cache/local-cache';
import { startBestClips, type RunningBestClips } from '../server/start';
import { expectValidAmp } from './helpers/amp-validator';
import { freePorts } from './helpers/ports';

describe('the local cache serving the real shop', () => {
  let running: RunningBestClips;
  let originHost: string;

  beforeAll(async () => {
    const [port, cachePort] = await freePorts();
    running = await startBestClips(
      loadConfig({
        LOG_LEVEL: 'silent',
        PORT: String(port),
        CACHE_PORT: String(cachePort),
        SESSION_SECRET: 'local-cache-test-secret',
      }),
    );
    originHost = new URL(running.originUrl).host;
  });
  afterAll(() => running.close());

  const cache = () => request(running.cacheUrl!);

  it('serves a valid AMP page with the cache modifications', async () => {
    const res = await cache().get(`/c/${originHost}/products/superclip`).expect(200);
    const html = res.text;
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(html).toContain(`action-xhr="//${originHost}/api/cart/add"`);
    expect(html).toContain(`href="${running.originUrl}/cart"`);
    expect(html).not.toMatch(/<a (?![^>]*target=)[^>]*>/);
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain(
      'Served by the local AMP cache — the shop’s cookies are third-party here.',
    );
    expect(html).not.toContain('View this page from the AMP cache');
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
  });

  it.each([
    ['/c/', 400],
    [`/c/other.example/`, 404],
    [`/c/s/${'x'}/`, 404],
    [`/c/${'localhost'}:1/`, 404],
    ['/c/HOST/%2e%2e/etc/passwd', 400],
    ['/c/HOST/no-such-page', 404],
    ['/c/HOST/products/no-such-product', 404],
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
      upstreamOrigin: originUrl,
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
});
