import {
  buildPlaceOrderUrl,
  checkPlaceOrder,
  readPlaceOrderQuery,
  signPlaceOrder,
} from '../server/checkout/place-order-link';
import { signChange } from '../server/flow/3-redirect-to-origin';
import { deriveLinkKey } from '../server/amp/signed-link';

const key = deriveLinkKey('unit-test-secret-0123456789');
const NOW = 1_800_000_000_000;

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
