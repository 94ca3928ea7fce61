import { MemoryNonceStore } from '../server/stores/nonce-store';

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
