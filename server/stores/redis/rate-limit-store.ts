// express-rate-limit's counts in Redis, so a limit holds across every instance. One small script
// counts a hit and starts the window on the first one (INCR, then PEXPIRE if the key has no TTL),
// atomically. It runs through the shop's own client — no offline queue, the command deadline,
// EVALSHA falling back to EVAL — so while Redis is down a limited request gets the same fast 503
// as any other, and the limits work again the moment Redis is back (also for an instance that
// started during the outage).
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { ShopRedisClient } from './client';

export class RedisRateLimitStore implements Store {
  /** Counts are shared: every instance sees every hit. */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly client: ShopRedisClient,
    /** e.g. `bestclips:limit:posts:`; the client's key follows. */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const [totalHits, msLeft] = await this.client.rateLimitHit(this.prefix + key, this.windowMs);
    return { totalHits, resetTime: new Date(Date.now() + msLeft) };
  }

  async decrement(key: string): Promise<void> {
    await this.client.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }
}
