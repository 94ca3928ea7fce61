// The cart's Lua scripts. Redis runs each one atomically, so a change reads the line, checks the
// limits and writes in one step: concurrent changes from any number of instances never lose an
// update (no read-modify-write across round trips). The client sends EVALSHA and falls back to
// EVAL once when Redis does not know the script yet (after a restart, for instance).
//
// `apply` mirrors `decideChange` in ../cart/cart.ts: the limits come in as arguments, computed in
// TypeScript from the catalog, and the script answers with a status that `describeChange` turns
// into the same words as the in-memory store. Reading or changing a cart renews its idle expiry.
import { defineScript, type CommandParser } from 'redis';
import type { CartChange } from '../../cart/cart';
import type { CartKeys } from './keys';

/** A script's reply, as node-redis decodes Lua tables of strings and integers. */
export type ScriptReply = Array<string | number>;

/** Lua helpers shared with the order script (order-scripts.ts). */
export const READ_CART = `
local function read_cart(lines, order)
  local skus = redis.call('ZRANGE', order, 0, -1)
  local cart = {}
  if #skus == 0 then return cart end
  local quantities = redis.call('HMGET', lines, unpack(skus))
  for i, sku in ipairs(skus) do
    if quantities[i] then
      cart[#cart + 1] = sku
      cart[#cart + 1] = quantities[i]
    end
  end
  return cart
end

local function touch(lines, order, ttl_ms)
  redis.call('PEXPIRE', lines, ttl_ms)
  redis.call('PEXPIRE', order, ttl_ms)
end
`;

// ARGV: op, sku, quantity, the most of this SKU allowed, the most lines allowed, idle TTL in ms.
// Reply: status, the line's quantity before, then the cart after as sku, quantity, sku, ….
const APPLY = `${READ_CART}
local lines, order = KEYS[1], KEYS[2]
local op, sku = ARGV[1], ARGV[2]
local quantity, limit, max_lines = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local current = tonumber(redis.call('HGET', lines, sku) or '0')

local status, wanted = 'applied', 0
if op == 'remove' then
  if current == 0 then status = 'not-in-cart' end
elseif current == 0 and redis.call('HLEN', lines) >= max_lines then
  status = 'cart-full'
elseif limit == 0 then
  status = 'out-of-stock'
else
  if op == 'add' then wanted = current + quantity else wanted = quantity end
  if wanted > limit then status = 'over-limit' end
end

if status == 'applied' then
  if wanted == 0 then
    redis.call('HDEL', lines, sku)
    redis.call('ZREM', order, sku)
  else
    if current == 0 then
      local last = redis.call('ZRANGE', order, -1, -1, 'WITHSCORES')
      redis.call('ZADD', order, (tonumber(last[2]) or 0) + 1, sku)
    end
    redis.call('HSET', lines, sku, wanted)
  end
end
touch(lines, order, ARGV[6])

local reply = { status, current }
for _, value in ipairs(read_cart(lines, order)) do reply[#reply + 1] = value end
return reply
`;

// ARGV: idle TTL in ms. Reply: the cart as sku, quantity, sku, ….
const READ = `${READ_CART}
touch(KEYS[1], KEYS[2], ARGV[1])
return read_cart(KEYS[1], KEYS[2])
`;

export interface ApplyArgs {
  op: CartChange['op'];
  sku: string;
  quantity: number;
  limit: number;
  maxLines: number;
  idleTtlMs: number;
}

function cartScript<Args extends unknown[]>(source: string, argv: (...args: Args) => string[]) {
  return defineScript({
    NUMBER_OF_KEYS: 2,
    SCRIPT: source,
    parseCommand(parser: CommandParser, keys: CartKeys, ...args: Args) {
      parser.pushKey(keys.lines);
      parser.pushKey(keys.order);
      parser.push(...argv(...args));
    },
    transformReply: (reply: unknown) => reply as ScriptReply,
  });
}

/** Registered on the client (see client.ts): `client.cartApply(keys, args)` and so on. */
export const cartScripts = {
  cartApply: cartScript(APPLY, (change: ApplyArgs) => [
    change.op,
    change.sku,
    ...[change.quantity, change.limit, change.maxLines, change.idleTtlMs].map(String),
  ]),
  cartRead: cartScript(READ, (idleTtlMs: number) => [String(idleTtlMs)]),
};
