// Shared pages as sent, byte for byte over real HTTP: one document per URL for every visitor,
// built once and served from memory in the encoding the request accepts, with a strong ETag and a
// brief cache policy; pages about one shopper stay per request, compressed and no-store.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import express from 'express';
import request from 'supertest';
import type { Shop } from '../server/app';
import {
  chooseEncoding,
  matchesEtag,
  NO_STORE,
  SHARED_CACHE_CONTROL,
  SharedDocuments,
} from '../server/pages/shared-documents';
import { shopperWith, testShop, visitOrigin } from './helpers/shop';

let shop: Shop;
let server: http.Server;
let base: string;

beforeAll(async () => {
  shop = await testShop();
  server = shop.app.listen(0);
  await new Promise((done) => server.once('listening', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET with exactly these headers, and the bytes as sent (no decompression). */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

const SHARED = [
  ['/', 200],
  ['/?category=Binder%20clips&sort=price-desc', 200],
  ['/products/superclip', 200],
  ['/products/washi-clips', 200],
  ['/contact', 200],
  ['/nowhere', 404],
  ['/products/no-such-clip', 404],
  ['/?page=7', 404],
  ['/?page=two', 400],
] as const;

const ENCODINGS = [
  ['br', 'gzip, deflate, br, zstd'],
  ['gzip', 'gzip, deflate'],
  ['identity', ''],
] as const;

/** Every kind of visitor a shared page must not tell apart. */
async function visitors(): Promise<Record<string, string | undefined>> {
  const newSession = await visitOrigin(shop);
  const withCart = await shopperWith(shop, { 'CL-SLV-100': 2 });
  const withThisProduct = await shopperWith(shop, { 'SC-NAT-100': 1 });
  return {
    'no cookie': undefined,
    'a new session': newSession.cookie,
    'a shopper with a cart': withCart.cookie,
    'a shopper with that product in the cart': withThisProduct.cookie,
  };
}

describe('one document per URL, the same bytes for every visitor', () => {
  it.each(SHARED)('%s (%i)', async (path, status) => {
    const cookies = await visitors();
    for (const [encoding, accept] of ENCODINGS) {
      const answers = await Promise.all(
        Object.values(cookies).map((cookie) =>
          get(path, {
            ...(accept ? { 'accept-encoding': accept } : {}),
            ...(cookie ? { cookie } : {}),
          }),
        ),
      );
      const [first] = answers;
      expect(first.status).toBe(status);
      expect(first.headers['content-encoding']).toBe(
        encoding === 'identity' ? undefined : encoding,
      );
      for (const answer of answers) {
        expect(answer.body.equals(first.body)).toBe(true);
        expect(answer.headers.etag).toBe(first.headers.etag);
        expect(answer.headers['set-cookie']).toBeUndefined();
      }
    }
  });

  it('what the shopper has shows only through credentialed requests, not in the page', async () => {
    const { cookie } = await shopperWith(shop, { 'SC-NAT-100': 3 });
    const html = (await get('/products/superclip', { cookie })).body.toString();
    expect(html).not.toMatch(/In your cart<\/span> 3/);
    expect(html).toContain('src="/api/cart/product/superclip" credentials="include"');
    expect(html).toContain('src="/api/cart/summary" credentials="include"');
  });
});

describe('headers of a shared page', () => {
  it.each(ENCODINGS)(
    '%s: the encoding asked for, Vary, a strong ETag per encoding, a brief cache policy',
    async (encoding, accept) => {
      const res = await get('/products/superclip', accept ? { 'accept-encoding': accept } : {});
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.headers['cache-control']).toBe(SHARED_CACHE_CONTROL);
      expect(res.headers.etag).toMatch(
        new RegExp(`^"[\\w-]{27}${{ br: '-br', gzip: '-gz', identity: '' }[encoding]}"$`),
      );
      const identity = await get('/products/superclip');
      const decoded =
        encoding === 'br'
          ? zlib.brotliDecompressSync(res.body)
          : encoding === 'gzip'
            ? zlib.gunzipSync(res.body)
            : res.body;
      expect(decoded.equals(identity.body)).toBe(true);
    },
  );

  it('a brotli page is at most 10 KB on the wire; every page kind is', async () => {
    const br = { 'accept-encoding': 'br' };
    const { cookie } = await shopperWith(shop, {
      'SC-NAT-100': 1,
      'CL-SLV-100': 1,
      'RV-RBW-100': 1,
    });
    for (const [path, headers] of [
      ...SHARED.map(([path]) => [path, br] as const),
      ['/cart', { ...br, cookie }] as const,
      ['/checkout', { ...br, cookie }] as const,
    ]) {
      const res = await get(path, headers);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.body.length).toBeLessThanOrEqual(10_000);
    }
  });

  it('If-None-Match with the ETag: 304, no body, the same validators', async () => {
    const first = await get('/', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await get('/', { 'accept-encoding': 'br', 'if-none-match': ifNoneMatch });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['cache-control']).toBe(SHARED_CACHE_CONTROL);
      expect(res.headers.vary).toBe('Accept-Encoding');
    }
    // Another encoding's ETag, or an old one: the full page.
    const gzip = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
  });

  it('a 404 is never answered with 304', async () => {
    const first = await get('/nowhere', { 'accept-encoding': 'br' });
    const again = await get('/nowhere', {
      'accept-encoding': 'br',
      'if-none-match': String(first.headers.etag),
    });
    expect(again.status).toBe(404);
    expect(again.body.equals(first.body)).toBe(true);
  });

  it('HEAD: the same headers, no body', async () => {
    const res = await new Promise<http.IncomingMessage>((done) =>
      http.request(`${base}/contact`, { method: 'HEAD', agent: false }, done).end(),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(SHARED_CACHE_CONTROL);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(1000);
  });
});

describe('built once, served from memory', () => {
  it('a second request renders, compresses and hashes nothing', async () => {
    await get('/products/spring-clips', { 'accept-encoding': 'br' });
    const built = shop.sharedPages.size;
    const spies = [
      jest.spyOn(zlib, 'brotliCompress'),
      jest.spyOn(zlib, 'gzip'),
      jest.spyOn(crypto, 'createHash'),
    ];
    try {
      for (const [, accept] of ENCODINGS) {
        await get('/products/spring-clips', accept ? { 'accept-encoding': accept } : {});
      }
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(shop.sharedPages.size).toBe(built);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });

  it('requests that arrive while a page is built share the one build', async () => {
    const documents = new SharedDocuments(1024 * 1024);
    const build = jest.fn(() => ({ status: 200, html: Buffer.from('<p>once</p>') }));
    const app = express().get('/', (req, res) => documents.serve(req, res, 'page', build));
    const listening = app.listen(0);
    await new Promise((done) => listening.once('listening', done));
    const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/`;
    try {
      const bodies = await Promise.all(
        Array.from({ length: 5 }, () => fetch(url).then((res) => res.text())),
      );
      expect(bodies).toEqual(Array(5).fill('<p>once</p>'));
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      await new Promise((done) => listening.close(done));
    }
  });

  it('keeps at most the bytes it is given, dropping the least recently used pages', async () => {
    const documents = new SharedDocuments(3000);
    const app = express().get('/:n', (req, res) =>
      documents.serve(req, res, req.params.n, () => ({
        status: 200,
        html: crypto.randomBytes(600),
      })),
    );
    for (let n = 0; n < 10; n++) await request(app).get(`/${n}`).expect(200);
    expect(documents.bytes).toBeLessThanOrEqual(3000);
    expect(documents.size).toBeLessThan(10);
  });

  it('a response that sets a cookie is never shareable', async () => {
    const documents = new SharedDocuments(1024 * 1024);
    const app = express()
      .use((_req, res, next) => {
        res.cookie('tracker', '1');
        next();
      })
      .get('/', (req, res) =>
        documents.serve(req, res, 'page', () => ({ status: 200, html: Buffer.from('<p>x</p>') })),
      );
    const res = await request(app).get('/').expect(200);
    expect(res.headers['set-cookie']).toBeDefined();
    expect(res.headers['cache-control']).toBe(NO_STORE);
  });
});

describe('choosing the encoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['deflate', 'identity'],
  ])('Accept-Encoding %p → %s', (accept, expected) => {
    expect(chooseEncoding(accept)).toBe(expected);
  });

  it('compares If-None-Match weakly, as HTTP says for it', () => {
    expect(matchesEtag('"a"', '"a"')).toBe(true);
    expect(matchesEtag('W/"a"', '"a"')).toBe(true);
    expect(matchesEtag('"b", "a"', '"a"')).toBe(true);
    expect(matchesEtag('"b"', '"a"')).toBe(false);
    expect(matchesEtag(undefined, '"a"')).toBe(false);
  });
});

describe('pages about one shopper', () => {
  it.each(['/cart', '/checkout'])(
    '%s: rendered for the request, compressed, never stored by a cache',
    async (path) => {
      const { cookie } = await visitOrigin(shop);
      const res = await get(path, { 'accept-encoding': 'gzip, deflate, br', cookie });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cache-control']).toBe(NO_STORE);
      expect(res.headers.etag).toBeUndefined();
      expect(zlib.brotliDecompressSync(res.body).toString()).toMatch(/^<!doctype html>/);
    },
  );
});
