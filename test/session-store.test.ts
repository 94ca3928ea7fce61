// The in-memory session store keeps a copy of each session's data, never express-session's live
// Session object: that one references its request (and through it the socket and response), so
// keeping it kept every request alive for as long as its session (~28 KB each, as measured by the benchmark).
import type session from 'express-session';
import { BoundedMemoryStore } from '../server/stores/session-store';

const LIMITS = { maxEntries: 10, idleTtlMs: 60_000, pruneEveryMs: 0 };

function sessionData(): session.SessionData {
  const data = {
    cookie: {
      originalMaxAge: 1000,
      expires: new Date('2030-01-01T00:00:00Z'),
      httpOnly: true,
      path: '/',
    },
  } as session.SessionData;
  // Like express-session's Session: the request rides along, not enumerable.
  Object.defineProperty(data, 'req', { value: { socket: 'a whole request' } });
  return data;
}

const get = (store: BoundedMemoryStore, sid: string) =>
  new Promise<session.SessionData | null | undefined>((resolve, reject) =>
    store.get(sid, (error, data) => (error ? reject(error) : resolve(data))),
  );

describe('BoundedMemoryStore', () => {
  it('gives back the data, as a fresh object each time, without the request', async () => {
    const store = new BoundedMemoryStore(LIMITS);
    const data = sessionData();
    store.set('sid-1', data);
    const first = await get(store, 'sid-1');
    const second = await get(store, 'sid-1');
    expect(first).toEqual(JSON.parse(JSON.stringify(data)));
    expect(first).not.toBe(data);
    expect(first).not.toBe(second);
    expect((first as { req?: unknown }).req).toBeUndefined();
  });

  it('is not changed by changes to the object it was given or gave out', async () => {
    const store = new BoundedMemoryStore(LIMITS);
    const data = sessionData();
    store.set('sid-1', data);
    data.cookie.path = '/changed';
    (await get(store, 'sid-1'))!.cookie.path = '/changed too';
    expect((await get(store, 'sid-1'))!.cookie.path).toBe('/');
  });

  it('forgets destroyed sessions and knows none it was not given', async () => {
    const store = new BoundedMemoryStore(LIMITS);
    store.set('sid-1', sessionData());
    store.destroy('sid-1');
    expect(await get(store, 'sid-1')).toBeNull();
    expect(await get(store, 'never-set')).toBeNull();
    expect(store.size).toBe(0);
  });
});
