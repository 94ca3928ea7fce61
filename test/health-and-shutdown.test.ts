// Production behaviour: health endpoints, structured logs, and a graceful shutdown that still
// answers the request in flight. The shutdown test runs the real entry point in a child process.
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import type { Shop } from '../server/app';
import { startServerProcess } from './helpers/server-process';
import { testShop } from './helpers/shop';

describe('health endpoints', () => {
  it('answers liveness and readiness without creating a session', async () => {
    const shop = await testShop();
    const live = await request(shop.app).get('/healthz').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    expect(live.headers['set-cookie']).toBeUndefined();
    await request(shop.app).get('/readyz').expect(200, { status: 'ready' });
    shop.readiness.ready = false;
    await request(shop.app).get('/readyz').expect(503, { status: 'shutting down' });
    await request(shop.app).get('/healthz').expect(200);
  });

  it('is not ready while a store it needs does not answer (Redis, when configured)', async () => {
    const shop = await testShop();
    let redisUp = false;
    shop.readiness.checks = [{ name: 'redis', isUp: async () => redisUp }];
    await request(shop.app)
      .get('/readyz')
      .expect(503, { status: 'unavailable', unavailable: ['redis'] });
    redisUp = true;
    await request(shop.app).get('/readyz').expect(200, { status: 'ready' });
  });

  it('gives every response a request id, reusing a well-formed one from the proxy', async () => {
    const shop = await testShop();
    const fresh = await request(shop.app).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await request(shop.app).get('/healthz').set('X-Request-Id', 'proxy-id-1234');
    expect(given.headers['x-request-id']).toBe('proxy-id-1234');
    const bad = await request(shop.app).get('/healthz').set('X-Request-Id', '<script>');
    expect(bad.headers['x-request-id']).not.toBe('<script>');
  });
});

describe('behind a TLS-terminating proxy (TRUST_PROXY)', () => {
  it('sends the Secure session cookie when the proxy says the request was https', async () => {
    const shop = await testShop({ PUBLIC_ORIGIN: 'https://shop.example', TRUST_PROXY: '1' });
    const res = await badgeRequest(shop).set('X-Forwarded-Proto', 'https').expect(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure; SameSite=None/);
    const plain = await badgeRequest(shop).expect(200);
    expect(plain.headers['set-cookie']).toBeUndefined();
  });

  it('ignores X-Forwarded-Proto when no proxy is trusted', async () => {
    const shop = await testShop({ PUBLIC_ORIGIN: 'https://shop.example' });
    const res = await badgeRequest(shop).set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  /** The first credentialed request of an origin page on https://shop.example (step 1). */
  const badgeRequest = (shop: Shop) =>
    request(shop.app)
      .get('/api/cart/summary?__amp_source_origin=https%3A%2F%2Fshop.example')
      .set('AMP-Same-Origin', 'true');
});

describe('the server process', () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill('SIGKILL'));

  async function startServer(env: NodeJS.ProcessEnv) {
    const started = await startServerProcess(env);
    child = started.child;
    return started;
  }

  it('writes JSON logs without cookies, and answers the request in flight after SIGTERM', async () => {
    const { port, output, exited } = await startServer({ LOG_LEVEL: 'info' });
    // Start a POST and leave its body unfinished, so the request is in flight.
    const body = 'sku=SC-NAT-100&quantity=1';
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          port,
          method: 'POST',
          path: `/api/cart/add?__amp_source_origin=${encodeURIComponent(`http://localhost:${port}`)}`,
          headers: {
            'AMP-Same-Origin': 'true',
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': body.length,
            Cookie: 'bestclips.sid=s%3Anot-a-real-session.sig',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        child!.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 200);
    });
    const response = await answer;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      message: expect.stringContaining('Superclip'),
      cartCount: 1,
    });
    await expect(exited).resolves.toBe(0);

    const lines = output
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.some((line) => line.msg === 'BestClips shop is running')).toBe(true);
    expect(lines.some((line) => line.msg === 'Shutting down: finishing requests in flight')).toBe(
      true,
    );
    const logged = lines.find((line) => line.req?.path === '/api/cart/add');
    expect(logged).toMatchObject({
      req: { method: 'POST', id: expect.any(String) },
      res: { statusCode: 200 },
    });
    expect(output.join('')).not.toContain('not-a-real-session');
    expect(output.join('')).not.toContain('__amp_source_origin');
  }, 30_000);

  it('refuses to start in production without SESSION_SECRET, saying why', async () => {
    const { output, exited } = await startServer({ NODE_ENV: 'production', SESSION_SECRET: '' });
    await expect(exited).resolves.toBe(1);
    expect(output.join('')).toContain('SESSION_SECRET is required when NODE_ENV=production.');
  }, 30_000);

  it('refuses a bad variable, naming it', async () => {
    const { output, exited } = await startServer({ PUBLIC_ORIGIN: 'shop' });
    await expect(exited).resolves.toBe(1);
    expect(output.join('')).toContain('PUBLIC_ORIGIN');
  }, 30_000);
});
