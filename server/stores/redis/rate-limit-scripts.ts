// The abuse limits' script (see rate-limit-store.ts): count a hit, start the window on the first.
import { defineScript, type CommandParser } from 'redis';

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
