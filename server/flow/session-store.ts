// Where express-session keeps sessions: in memory, bounded (idle expiry, pruning, a cap), so a
// flood of new visitors cannot grow memory without bound.
import session from 'express-session';
import type { LRUCache } from 'lru-cache';
import { boundedLru, type MemoryLimits } from '../memory/bounded-lru';

type Callback = (err?: unknown) => void;

export class BoundedMemoryStore extends session.Store {
  private readonly sessions: LRUCache<string, session.SessionData>;

  constructor(limits: MemoryLimits) {
    super();
    this.sessions = boundedLru(limits);
  }

  get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    callback(null, this.sessions.get(sid) ?? null);
  }

  set(sid: string, data: session.SessionData, callback?: Callback): void {
    this.sessions.set(sid, data);
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
