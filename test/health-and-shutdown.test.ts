// Production behaviour: health endpoints, structured logs, and a graceful shutdown that still
// answers the request in flight. The shutdown test runs the real entry point in a child process.
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
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

  it('on SIGTERM during a stream of requests: fails readiness, stops accepting, answers every request it accepted, exits 0', async () => {
    const { port, output, exited } = await startServer({ LOG_LEVEL: 'info' });
    // Requests on their way when SIGTERM comes: a readiness probe with half its headers sent, and
    // adds to cart whose bodies are held back until after SIGTERM.
    const probe = halfSentReadinessProbe(port);
    let releaseBodies = () => {};
    const bodiesReleased = new Promise<void>((done) => (releaseBodies = done));
    const held = [1, 2, 3, 4].map((n) => streamRequest(port, `held-${n}`, 'POST', bodiesReleased));
    // The server has read them once it answers a request sent after them.
    await request(`http://127.0.0.1:${port}`).get('/healthz').expect(200);
    // And a stream of pages and adds to cart, one connection each (as nginx sends them).
    const stream: Promise<StreamResult>[] = [];
    const next = () => {
      const n = stream.length;
      const method = n % 2 ? 'POST' : 'GET';
      stream.push(streamRequest(port, String(n).padStart(4, '0'), method, sleep(150)));
    };
    const streaming = setInterval(next, 10);
    await sleep(300);
    const sigtermAt = performance.now();
    child!.kill('SIGTERM');
    const readiness = await probe.finish();
    releaseBodies();
    await expect(exited).resolves.toBe(0);
    clearInterval(streaming);
    const done = await Promise.all([...held, ...stream]);
    expect(readiness).toMatch(/^HTTP\/1\.1 503[\s\S]*"status":"shutting down"/);

    const logged = new Map<string, { msg: string; status: number }>();
    for (const line of output
      .join('')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text))) {
      if (line.req?.id?.startsWith('stream-')) {
        logged.set(line.req.id, { msg: line.msg, status: line.res?.statusCode });
      }
    }
    const accepted = done.filter((result) => logged.has(result.id));
    const refused = done.filter((result) => !logged.has(result.id));
    // Every request the server took in was answered in full, on both sides.
    for (const result of accepted) {
      expect([result.id, result.status, logged.get(result.id)]).toEqual([
        result.id,
        200,
        { msg: 'request completed', status: 200 },
      ]);
    }
    // The held adds to cart were in flight at SIGTERM, and were among them.
    for (const result of await Promise.all(held)) {
      expect([result.id, logged.has(result.id), result.endedAt > sigtermAt]).toEqual([
        result.id,
        true,
        true,
      ]);
    }
    // The others never reached it: the port was closed (or the connection was never read). The
    // stream went on until the process exited, so some were.
    for (const result of refused) {
      expect([result.id, result.error]).toEqual([
        result.id,
        expect.stringMatching(/^ECONN(REFUSED|RESET)$/),
      ]);
    }
    expect(refused.length).toBeGreaterThan(0);
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

interface StreamResult {
  id: string;
  endedAt: number;
  status?: number;
  error?: string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * One request on a connection of its own (as nginx sends them): a page, or an add to cart whose
 * body is sent once `bodySent` resolves.
 */
function streamRequest(
  port: number,
  name: string,
  method: 'GET' | 'POST',
  bodySent: Promise<unknown>,
): Promise<StreamResult> {
  const id = `stream-${name}`;
  const body = 'sku=SC-NAT-100&quantity=1';
  return new Promise((resolve) => {
    const finish = (fields: Partial<StreamResult>) =>
      resolve({ id, endedAt: performance.now(), ...fields });
    const req = httpRequest(
      {
        port,
        agent: false,
        method,
        path:
          method === 'GET'
            ? '/products/superclip'
            : `/api/cart/add?__amp_source_origin=${encodeURIComponent(`http://localhost:${port}`)}`,
        headers: {
          'X-Request-Id': id,
          ...(method === 'POST' && {
            'AMP-Same-Origin': 'true',
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': body.length,
          }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => finish({ status: res.statusCode }));
        res.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code }));
    if (method === 'GET') {
      req.end();
      return;
    }
    req.write(body.slice(0, 5));
    void bodySent.then(() => req.end(body.slice(5)));
  });
}

/** GET /readyz with its headers half sent; `finish()` sends the rest and resolves the raw answer. */
function halfSentReadinessProbe(port: number) {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  const ended = new Promise<string>((done) => socket.on('close', () => done(answer)));
  socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
  return {
    finish: async () => {
      await sleep(50);
      socket.end('Connection: close\r\n\r\n');
      return ended;
    },
  };
}
