// express-rate-limit's counts in Redis, so a limit holds across every instance. One small script
// counts a hit and starts the window on the first one (INCR, then PEXPIRE if the key has no TTL),
// atomically. It runs through the shop's own client — no offline queue, the command deadline,
// EVALSHA falling back to EVAL — so while Redis is down a limited request gets the same fast 503
// as any other, and the limits work again the moment Redis is back (also for an instance that
// started during the outage).
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import { defineScript, type CommandParser } from 'redis';
import type { ShopRedisClient } from './client';

// KEYS: the client's counter. ARGV: the window in ms. Reply: {hits, ms left in the window}.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }
`;

/** Registered on the client (see client.ts): `client.rateLimitHit(key, windowMs)`. */
export const rateLimitScripts = {
  rateLimitHit: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: HIT,
    parseCommand(parser: CommandParser, key: string, windowMs: number) {
      parser.pushKey(key);
      parser.push(String(windowMs));
    },
    transformReply: (reply: unknown) => reply as [number, number],
  }),
};

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
