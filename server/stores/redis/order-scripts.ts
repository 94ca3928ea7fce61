// Placing an order in Redis is one Lua script: Redis runs it atomically, and its writes reach the
// append-only file (and replicas) as one transaction, so after a crash of the instance or of
// Redis itself either the order exists and the cart is empty, or the cart is intact and there is
// no order. The order is built in TypeScript (prices come from the catalog) from the cart as read
// a moment before; the script only commits it if the cart is still exactly that cart, so a change
// that slipped in between is never lost or ordered without being seen (the caller reads again).
import { defineScript, type CommandParser } from 'redis';
import { READ_CART, type ScriptReply } from './cart-scripts';
import type { CartKeys } from './keys';

// KEYS: cart lines, cart order, the order, the checkout's "placed" marker.
// ARGV: the cart as read (sku, quantity, … joined by newlines), the order (JSON), its number,
// the TTL of the order and the marker in ms, '1' when the marker applies (a held checkout).
// Reply: {'placed'}, {'placed-before', number} or {'cart-changed'}.
const PLACE = `${READ_CART}
local lines, order, saved, marker = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local use_marker = ARGV[5] == '1'
if use_marker then
  local before = redis.call('GET', marker)
  if before then return { 'placed-before', before } end
end
if table.concat(read_cart(lines, order), '\\n') ~= ARGV[1] then return { 'cart-changed' } end
redis.call('DEL', lines, order)
redis.call('SET', saved, ARGV[2], 'PX', ARGV[4])
if use_marker then redis.call('SET', marker, ARGV[3], 'PX', ARGV[4]) end
return { 'placed' }
`;

export interface PlaceArgs {
  cart: CartKeys;
  orderKey: string;
  /** Set for a held checkout: the key that remembers which order it placed. */
  markerKey: string | undefined;
  /** The cart the order was built from, as the cart script answered it. */
  expectedCart: ScriptReply;
  orderJson: string;
  orderNumber: string;
  ttlMs: number;
}

/** Registered on the client (see client.ts): `client.orderPlace(args)`. */
export const orderScripts = {
  orderPlace: defineScript({
    NUMBER_OF_KEYS: 4,
    SCRIPT: PLACE,
    parseCommand(parser: CommandParser, args: PlaceArgs) {
      parser.pushKey(args.cart.lines);
      parser.pushKey(args.cart.order);
      parser.pushKey(args.orderKey);
      // Without a checkout the marker is never read or written; any key in the slot will do.
      parser.pushKey(args.markerKey ?? args.orderKey);
      parser.push(
        args.expectedCart.map(String).join('\n'),
        args.orderJson,
        args.orderNumber,
        String(args.ttlMs),
        args.markerKey === undefined ? '0' : '1',
      );
    },
    transformReply: (reply: unknown) => reply as string[],
  }),
};
