import {
  MemoryPendingCheckouts,
  PENDING_CHECKOUT_LIMITS,
} from '../server/checkout/pending-checkouts';
import {
  buildPlaceOrderUrl,
  checkPlaceOrder,
  readPlaceOrderQuery,
  signPlaceOrder,
} from '../server/checkout/place-order-link';
import { signChange } from '../server/flow/3-redirect-to-origin';
import { deriveLinkKey, LINK_TTL_SECONDS } from '../server/amp/signed-link';
import { CUSTOMER } from './helpers/customer';
import { pendingCheckoutContract } from './helpers/store-contracts';

const key = deriveLinkKey('unit-test-secret-0123456789');
const NOW = 1_800_000_000_000;

describe('MemoryPendingCheckouts', () => {
  let now = 0;
  const store = () =>
    new MemoryPendingCheckouts({
      maxEntries: 3,
      idleTtlMs: 60 * 60 * 1000,
      pruneEveryMs: 0,
      now: () => now,
    });
  beforeEach(() => {
    now = 1000; // lru-cache reads a start time of 0 as "never expires"
  });
  /** Moves the fake clock; lru-cache keeps the time it last read for 1 ms of real time. */
  const advance = async (ms: number) => {
    now += ms;
    await new Promise((done) => setTimeout(done, 2));
  };

  describe('does what every pending-checkout store does', () => {
    pendingCheckoutContract(
      () => new MemoryPendingCheckouts({ ...PENDING_CHECKOUT_LIMITS, pruneEveryMs: 0 }),
    );
  });

  it('keeps the details no longer than the link lives, however often they are read', async () => {
    const pending = store();
    const id = await pending.hold(CUSTOMER);
    for (let minute = 1; minute <= 4; minute++) {
      await advance(60 * 1000);
      expect(await pending.claim(id, 's1')).toEqual({ customer: CUSTOMER });
    }
    await advance(LINK_TTL_SECONDS * 1000 - 4 * 60 * 1000 + 1);
    expect(await pending.claim(id, 's1')).toBe('gone');
    expect(await pending.claimedDetails(id, 's1')).toBeUndefined();
  });

  it('keeps a receipt for an hour after the order, then forgets it', async () => {
    const pending = store();
    const id = await pending.hold(CUSTOMER);
    await pending.claim(id, 's1');
    await pending.recordReceipt(id, { sessionId: 's1', orderNumber: 'BC-0000-0001' });
    await advance(30 * 60 * 1000);
    expect(await pending.receipt(id)).toEqual({ sessionId: 's1', orderNumber: 'BC-0000-0001' });
    expect(await pending.claimedDetails(id, 's1')).toBeUndefined();
    await advance(30 * 60 * 1000 + 1);
    expect(await pending.receipt(id)).toBeUndefined();
  });

  it('is bounded: past the cap, the oldest entry goes', async () => {
    const pending = store();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await pending.hold(CUSTOMER));
    expect(pending.size).toBe(3);
    expect(await pending.claim(ids[0], 's1')).toBe('gone');
    expect(await pending.claim(ids[3], 's1')).toEqual({ customer: CUSTOMER });
  });
});

describe('the place-order link', () => {
  it('round-trips through an absolute URL on the public origin that names only the id', () => {
    const ticket = signPlaceOrder('pending-id-0123456789', key, NOW);
    const href = buildPlaceOrderUrl('https://shop.example', ticket);
    const url = new URL(href);
    expect(url.origin + url.pathname).toBe('https://shop.example/checkout/place');
    expect([...url.searchParams.keys()]).toEqual(['pending', 'exp', 'sig']);
    const read = readPlaceOrderQuery(Object.fromEntries(url.searchParams));
    expect(read).toEqual(ticket);
    expect(checkPlaceOrder(read!, key, NOW + 1000)).toBe('valid');
    expect(checkPlaceOrder(read!, key, (ticket.exp + 1) * 1000)).toBe('expired');
  });

  it('refuses another id, a moved expiry, another key', () => {
    const ticket = signPlaceOrder('pending-id-0123456789', key, NOW);
    expect(checkPlaceOrder({ ...ticket, nonce: 'pending-id-0123456780' }, key, NOW)).toBe('forged');
    expect(checkPlaceOrder({ ...ticket, exp: ticket.exp + 60 }, key, NOW)).toBe('forged');
    expect(checkPlaceOrder(ticket, deriveLinkKey('another-secret-0123456'), NOW)).toBe('forged');
  });

  it('a cart-change ticket is no order ticket, even with the same nonce and expiry', () => {
    const change = signChange({ op: 'remove', sku: 'X' }, key, NOW);
    expect(checkPlaceOrder(change, key, NOW)).toBe('forged');
  });

  it.each([
    {},
    { pending: 'short', exp: '1', sig: 's'.repeat(43) },
    { pending: 'p'.repeat(22), exp: '1e9', sig: 's'.repeat(43) },
    { pending: 'p'.repeat(22), exp: '1', sig: 's'.repeat(43), name: 'Ana' },
    { pending: ['p'.repeat(22), 'q'.repeat(22)], exp: '1', sig: 's'.repeat(43) },
  ])('reads %o as no link at all', (query) => {
    expect(readPlaceOrderQuery(query)).toBeUndefined();
  });
});
