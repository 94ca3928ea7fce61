// Contact messages kept in memory: only the most recent ones (a demo has no inbox), so a flood of
// messages cannot grow memory.
import { randomUUID } from 'node:crypto';
import type { ContactMessage } from './contact-message';

export interface ReceivedMessage extends ContactMessage {
  id: string;
  /** Unix milliseconds. */
  receivedAt: number;
}

export const KEEP_LAST_MESSAGES = 100;

export class MessageBox {
  private readonly messages: ReceivedMessage[] = [];

  constructor(
    private readonly keep = KEEP_LAST_MESSAGES,
    private readonly now: () => number = Date.now,
  ) {}

  receive(message: ContactMessage): ReceivedMessage {
    const received = { ...message, id: randomUUID(), receivedAt: this.now() };
    this.messages.push(received);
    if (this.messages.length > this.keep) this.messages.shift();
    return received;
  }

  /** Oldest first. */
  list(): readonly ReceivedMessage[] {
    return this.messages;
  }
}
