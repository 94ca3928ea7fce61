import type { CartChange } from '../server/cart/cart';
import { MemoryNonceStore } from '../server/stores/nonce-store';
import { checkTicket, signChange } from '../server/flow/signed-change';
import { deriveLinkKey, LINK_TTL_SECONDS } from '../server/amp/signed-link';

const key = deriveLinkKey('unit-test-secret-0123456789');
const change: CartChange = { op: 'add', sku: 'SC-NAT-100', quantity: 2 };
const NOW = 1_800_000_000_000;

describe('signed changes', () => {
  it('accepts its own signature until it expires', async () => {
    const ticket = signChange(change, key, NOW);
    expect(ticket.exp).toBe(NOW / 1000 + LINK_TTL_SECONDS);
    expect(checkTicket(change, ticket, key, NOW + 1000)).toBe('valid');
    expect(checkTicket(change, ticket, key, ticket.exp * 1000)).toBe('expired');
  });

  it('refuses any altered field, a different key, and a moved expiry', async () => {
    const ticket = signChange(change, key, NOW);
    expect(checkTicket({ ...change, quantity: 3 }, ticket, key, NOW)).toBe('forged');
    expect(checkTicket({ ...change, sku: 'SC-NAT-250' }, ticket, key, NOW)).toBe('forged');
    expect(checkTicket({ op: 'set', sku: change.sku, quantity: 2 }, ticket, key, NOW)).toBe(
      'forged',
    );
    expect(checkTicket(change, { ...ticket, exp: ticket.exp + 3600 }, key, NOW)).toBe('forged');
    expect(checkTicket(change, { ...ticket, nonce: 'another-nonce-value' }, key, NOW)).toBe(
      'forged',
    );
    expect(checkTicket(change, ticket, deriveLinkKey('another-secret-0123456'), NOW)).toBe(
      'forged',
    );
    expect(checkTicket(change, { ...ticket, sig: 'short' }, key, NOW)).toBe('forged');
  });

  it('makes a fresh nonce every time', async () => {
    expect(signChange(change, key, NOW).nonce).not.toBe(signChange(change, key, NOW).nonce);
  });
});

describe('MemoryNonceStore', () => {
  it('lets a nonce through once, then reports the replay', async () => {
    const store = new MemoryNonceStore(10, () => 0);
    expect(await store.consume('a', 1000)).toBe('fresh');
    expect(await store.consume('a', 1000)).toBe('replayed');
  });

  it('forgets nonces once their URL has expired (fake clock)', async () => {
    let now = 0;
    const store = new MemoryNonceStore(10, () => now);
    await store.consume('a', 1000);
    await store.consume('b', 2000);
    now = 1500;
    await store.consume('c', 3000);
    expect(store.size).toBe(2);
  });

  it('refuses new nonces when full instead of forgetting unexpired ones', async () => {
    const store = new MemoryNonceStore(2, () => 0);
    await store.consume('a', 1000);
    await store.consume('b', 1000);
    expect(await store.consume('c', 1000)).toBe('busy');
    expect(await store.consume('a', 1000)).toBe('replayed');
  });
});
