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

// The change itself, as a Lua function both apply scripts call. Its ARGV: op, sku, quantity, the
// most of this SKU allowed, the most lines allowed, idle TTL in ms. Its reply: status, the line's
// quantity before, then the cart after as sku, quantity, sku, ….
const CHANGE = `${READ_CART}
local function apply_change()
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
end
`;

// A change sent directly (step 3 with the cookie, the cart page).
const APPLY = `${CHANGE}
return apply_change()
`;

// A change that came by a single-use link: KEYS[3] is the link's key, ARGV[7] the ms until the
// link expires. A used link answers { 'replayed' } and changes nothing; the link is recorded only
// when its change is applied, in the same step, so no failure can separate the two.
const APPLY_ONCE = `${CHANGE}
if redis.call('EXISTS', KEYS[3]) == 1 then return { 'replayed' } end
local reply = apply_change()
if reply[1] == 'applied' then redis.call('SET', KEYS[3], '1', 'PX', ARGV[7]) end
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

/** A single-use link: its key, and how long to remember it was used. */
export interface LinkArgs {
  key: string;
  ttlMs: number;
}

function cartScript<Args extends unknown[]>(
  source: string,
  argv: (...args: Args) => { keys?: string[]; args: string[] },
) {
  return defineScript({
    SCRIPT: source,
    parseCommand(parser: CommandParser, keys: CartKeys, ...args: Args) {
      const extra = argv(...args);
      // The number of keys, then the keys: the cart's two, and any the script adds.
      parser.pushKeysLength([keys.lines, keys.order, ...(extra.keys ?? [])]);
      parser.push(...extra.args);
    },
    transformReply: (reply: unknown) => reply as ScriptReply,
  });
}

const changeArgs = (change: ApplyArgs) => [
  change.op,
  change.sku,
  ...[change.quantity, change.limit, change.maxLines, change.idleTtlMs].map(String),
];

/** Registered on the client (see client.ts): `client.cartApply(keys, args)` and so on. */
export const cartScripts = {
  cartApply: cartScript(APPLY, (change: ApplyArgs) => ({ args: changeArgs(change) })),
  cartApplyOnce: cartScript(APPLY_ONCE, (change: ApplyArgs, link: LinkArgs) => ({
    keys: [link.key],
    args: [...changeArgs(change), String(link.ttlMs)],
  })),
  cartRead: cartScript(READ, (idleTtlMs: number) => ({ args: [String(idleTtlMs)] })),
};
