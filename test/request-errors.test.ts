// What a request the shop cannot read, or a bug, becomes: a clear answer, never a stack trace.
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import type { Shop } from '../server/app';
import { requestErrorHandler, SERVER_FAULT, UNREADABLE_REQUEST } from '../server/request-errors';
import { requestLogger } from '../server/logger';
import { expectValidAmp } from './helpers/amp-validator';
import { ampGet, testShop } from './helpers/shop';

describe('a request whose path the router cannot decode', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await testShop();
  });
  afterAll(() => shop.close());

  it.each(['/products/%E0%A4%A', '/orders/%', '/products/%ZZ'])(
    'GET %s is a 400 AMP page that says so',
    async (path) => {
      const res = await request(shop.app).get(path).expect(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain(UNREADABLE_REQUEST.message);
      expect(res.text).not.toMatch(/URIError|decodeURIComponent|node_modules/);
      await expectValidAmp(res.text, `400 page for ${path}`);
    },
  );

  it('is a JSON 400 under /api/, for amp-form to show its submit-error', async () => {
    const res = await ampGet(shop, '/api/cart/product/%E0%A4%A', {
      from: 'google-cache',
    }).expect(400);
    expect(res.body).toEqual({ error: UNREADABLE_REQUEST.message });
    const post = await request(shop.app).post('/api/cart/%E0%A4%A').expect(400);
    expect(post.body).toEqual({ error: UNREADABLE_REQUEST.message });
  });
});

describe('requestErrorHandler', () => {
  function appThatFails(error: unknown) {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const app = express();
    app.use(requestLogger(logger));
    app.get(['/page', '/api/thing'], () => {
      throw error;
    });
    app.use(
      requestErrorHandler((res, status, problem) => {
        res.status(status).type('html').send(`<h1>${problem.title}</h1><p>${problem.message}</p>`);
      }),
    );
    return { app, lines };
  }

  it('answers a bug with a 500 that shows no stack, and logs the stack', async () => {
    const { app, lines } = appThatFails(new TypeError('cannot read x of undefined'));
    const page = await request(app).get('/page').expect(500);
    expect(page.text).toContain(SERVER_FAULT.message);
    expect(page.text).not.toMatch(/TypeError|cannot read x/);
    const api = await request(app).get('/api/thing').expect(500);
    expect(api.body).toEqual({ error: SERVER_FAULT.message });
    expect(api.headers['cache-control']).toBe('no-store');
    const logged = lines.filter((line) => line.msg === 'Unexpected error');
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged[0])).toContain('cannot read x of undefined');
  });

  it('keeps the 4xx status a middleware gave the error', async () => {
    const { app, lines } = appThatFails(Object.assign(new Error('bad'), { status: 416 }));
    const res = await request(app).get('/api/thing').expect(416);
    expect(res.body).toEqual({ error: UNREADABLE_REQUEST.message });
    expect(lines.some((line) => line.msg === 'Unexpected error')).toBe(false);
  });
});
