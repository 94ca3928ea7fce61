// The request log: one JSON line per request, with an id that is also sent as X-Request-Id, and
// without query strings (apply URLs carry signatures) or cookies.
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { requestLogger } from '../server/logger';

function appWithLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const app = express();
  app.use(requestLogger(logger));
  app.get('/ok', (req, res) => {
    req.log.info({ step: 'inside' }, 'handler ran');
    res.send('ok');
  });
  app.get('/boom', (_req, res) => {
    res.status(503).send('down');
  });
  return { app, lines };
}

describe('requestLogger', () => {
  it('logs one line per request: id, method, path without query, origin, status, time', async () => {
    const { app, lines } = appWithLog();
    const res = await request(app)
      .get('/ok?sig=secret')
      .set('Origin', 'https://cache.example')
      .set('AMP-Same-Origin', 'true')
      .set('Cookie', 'bestclips.sid=s%3Asecret')
      .expect(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[\da-f-]{36}$/);
    const done = lines.find((line) => line.msg === 'request completed');
    expect(done).toMatchObject({
      level: 30,
      req: {
        id,
        method: 'GET',
        path: '/ok',
        origin: 'https://cache.example',
        ampSameOrigin: 'true',
      },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    // Lines logged while handling the request name it too.
    expect(lines.find((line) => line.msg === 'handler ran')).toMatchObject({ req: { id } });
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
  });

  it("reuses a proxy's request id when it looks like one, and makes its own otherwise", async () => {
    const { app, lines } = appWithLog();
    const given = await request(app).get('/ok').set('X-Request-Id', 'edge-1234abcd').expect(200);
    expect(given.headers['x-request-id']).toBe('edge-1234abcd');
    const odd = await request(app).get('/ok').set('X-Request-Id', 'no spaces!').expect(200);
    expect(odd.headers['x-request-id']).not.toBe('no spaces!');
    expect(lines.filter((line) => line.msg === 'request completed')).toHaveLength(2);
  });

  it('logs a 5xx at error level', async () => {
    const { app, lines } = appWithLog();
    await request(app).get('/boom').expect(503);
    expect(lines.find((line) => line.msg === 'request completed')).toMatchObject({
      level: 50,
      res: { statusCode: 503 },
    });
  });
});
