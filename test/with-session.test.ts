// express-session with a store that fails (as Redis can): the error becomes a 503, a cart change
// is recorded in the store before it is acknowledged, and a late touch error never runs a handler
// twice.
import cookieParser from 'cookie-parser';
import express from 'express';
import type session from 'express-session';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../server/config';
import { createSessionMiddleware } from '../server/flow/1-session-cookie';
import { BoundedMemoryStore } from '../server/stores/memory/session-store';
import { recordCartChange, withSession } from '../server/flow/with-session';
import { requestLogger } from '../server/logger';
import { STORE_UNAVAILABLE, storeUnavailableHandler } from '../server/store-unavailable';
import { ORIGIN, TEST_SECRET } from './helpers/shop';

class StoreDown extends Error {}

/** The in-memory store, with switches that make it fail like an unreachable Redis. */
class FlakyStore extends BoundedMemoryStore {
  failing = new Set<'get' | 'set' | 'touch'>();

  constructor() {
    super({ maxEntries: 100, idleTtlMs: 60_000, pruneEveryMs: 0 });
  }

  override get(sid: string, callback: (err: unknown, data?: session.SessionData | null) => void) {
    if (this.failing.has('get')) callback(new StoreDown('get'));
    else super.get(sid, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void) {
    if (this.failing.has('set')) callback?.(new StoreDown('set'));
    else super.set(sid, data, callback);
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void) {
    if (this.failing.has('touch')) callback?.(new StoreDown('touch'));
    else super.touch(sid, data, callback);
  }
}

function appWith(store: FlakyStore) {
  const logs: string[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logs.push(JSON.parse(line).msg) },
  );
  const config = loadConfig({ PUBLIC_ORIGIN: ORIGIN, SESSION_SECRET: TEST_SECRET });
  const sessions = createSessionMiddleware(config, store);
  let runs = 0;
  const app = express();
  app.use(requestLogger(logger), cookieParser());
  // A cart change (recorded in the store), and a read (which records nothing).
  app.post('/api/change', (req, res, next) =>
    withSession(sessions, req, res, next, async () => {
      runs++;
      await recordCartChange(req);
      res.json({ sessionId: req.sessionID });
    }),
  );
  app.get('/api/read', (req, res, next) =>
    withSession(sessions, req, res, next, async () => {
      runs++;
      res.json({ sessionId: req.sessionID });
    }),
  );
  app.use(
    storeUnavailableHandler(
      (error) => error instanceof StoreDown,
      (res, status, problem) => res.status(status).send(problem.title),
    ),
  );
  return { app, logs, runs: () => runs };
}

describe('sessions in a store that can fail', () => {
  it('a cart change the store cannot record is a 503 (never a silent success)', async () => {
    const store = new FlakyStore();
    store.failing.add('set');
    const { app, runs } = appWith(store);
    const res = await request(app).post('/api/change').expect(503);
    expect(res.body).toEqual({ error: STORE_UNAVAILABLE.message });
    expect(res.headers['retry-after']).toBe('5');
    expect(runs()).toBe(1);
    expect(store.size).toBe(0);
  });

  it('a session the store cannot read is a 503, not a fresh session', async () => {
    const store = new FlakyStore();
    const { app, runs } = appWith(store);
    const first = await request(app).post('/api/change').expect(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    store.failing.add('get');
    await request(app).post('/api/change').set('Cookie', cookie).expect(503);
    expect(runs()).toBe(1);
  });

  it('a touch that fails after the response is logged, and the handler runs once', async () => {
    const store = new FlakyStore();
    const { app, logs, runs } = appWith(store);
    const first = await request(app).post('/api/change').expect(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    store.failing.add('touch');
    const res = await request(app).get('/api/read').set('Cookie', cookie).expect(200);
    expect(res.body.sessionId).toBe(first.body.sessionId);
    await new Promise((done) => setImmediate(done));
    expect(runs()).toBe(2);
    expect(logs).toContain('Store unavailable after the response was sent');
  });
});
