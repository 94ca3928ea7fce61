// Contact messages in Redis, one box for every instance: a list of JSON messages, newest first.
// Filing one is a single script that also drops what is beyond the last 100 and renews the list's
// expiry, so the box stays bounded with no timer; reading skips messages older than 7 days.
import type { ContactMessage } from '../../contact/contact-message';
import {
  MESSAGE_LIMITS,
  newReceivedMessage,
  type MessageBox,
  type ReceivedMessage,
} from '../../contact/message-box';
import type { ShopRedisClient } from './client';
import type { RedisKeys } from './keys';

export class RedisMessageBox implements MessageBox {
  constructor(
    private readonly client: ShopRedisClient,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  async receive(message: ContactMessage): Promise<ReceivedMessage> {
    const received = newReceivedMessage(message, this.now());
    await this.client.messageFile(this.keys.messages, received);
    return received;
  }

  async list(): Promise<readonly ReceivedMessage[]> {
    const since = this.now() - MESSAGE_LIMITS.keepMs;
    const newestFirst = await this.client.lRange(this.keys.messages, 0, -1);
    return newestFirst
      .map((json) => JSON.parse(json) as ReceivedMessage)
      .filter((message) => message.receivedAt > since)
      .reverse();
  }
}
