// Single use for apply URLs across instances: consuming a nonce is one `SET … NX PX`, which only
// one caller can win. The key lives exactly as long as the URL could still be applied, so Redis
// holds no more than the URLs applied in the last few minutes (never 'busy', unlike memory).
import type { NonceResult, NonceStore } from '../../flow/nonce-store';
import type { ShopRedisClient } from './client';
import type { RedisKeys } from './keys';

export class RedisNonceStore implements NonceStore {
  constructor(
    private readonly client: ShopRedisClient,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(nonce: string, expiresAtMs: number): Promise<NonceResult> {
    const won = await this.client.set(this.keys.nonce(nonce), '1', {
      condition: 'NX',
      expiration: { type: 'PX', value: Math.max(1, expiresAtMs - this.now()) },
    });
    return won === 'OK' ? 'fresh' : 'replayed';
  }
}
