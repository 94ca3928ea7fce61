// Where express-session keeps sessions: in memory, bounded (idle expiry, pruning, a cap), so a
// flood of new visitors cannot grow memory without bound.
import session from 'express-session';
import type { LRUCache } from 'lru-cache';
import { boundedLru, type MemoryLimits } from './bounded-lru';

type Callback = (err?: unknown) => void;

/** A session as stored: its JSON (a boxed string, as lru-cache only holds objects). */
interface StoredSession {
  json: string;
}

export class BoundedMemoryStore extends session.Store {
  private readonly sessions: LRUCache<string, StoredSession>;

  constructor(limits: MemoryLimits) {
    super();
    this.sessions = boundedLru(limits);
  }

  // express-session hands `set` its live Session object, which references the request (and so
  // the socket, the response…): keeping it would keep all of that alive per session (~28 KB).
  // A JSON copy, as express-session's own MemoryStore keeps, is the session's data and no more;
  // `get` parses a fresh object, so two requests of one shopper never share one.
  get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    const stored = this.sessions.get(sid);
    callback(null, stored ? (JSON.parse(stored.json) as session.SessionData) : null);
  }

  set(sid: string, data: session.SessionData, callback?: Callback): void {
    this.sessions.set(sid, { json: JSON.stringify(data) });
    callback?.();
  }

  override touch(sid: string, _data: session.SessionData, callback?: Callback): void {
    this.sessions.get(sid);
    callback?.();
  }

  destroy(sid: string, callback?: Callback): void {
    this.sessions.delete(sid);
    callback?.();
  }

  /** Drops every expired session now. */
  prune(): void {
    this.sessions.purgeStale();
  }

  get size(): number {
    return this.sessions.size;
  }
}
