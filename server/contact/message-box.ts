// Contact messages: only the most recent ones, for a while (a demo has no inbox), so a flood of
// messages cannot grow memory. In this process (stores/memory/message-box.ts), or in Redis
// (stores/redis/message-box.ts) so that every instance files its messages in one box.
import { randomUUID } from 'node:crypto';
import type { ContactMessage } from './contact-message';

export interface ReceivedMessage extends ContactMessage {
  id: string;
  /** Unix milliseconds. */
  receivedAt: number;
}

/** The box keeps the last 100 messages of the last 7 days. */
export const MESSAGE_LIMITS = { keep: 100, keepMs: 7 * 24 * 60 * 60 * 1000 };

/** Asynchronous, so a shared store (Redis) can stand in for the in-memory one. */
export interface MessageBox {
  receive(message: ContactMessage): Promise<ReceivedMessage>;
  /** Oldest first. */
  list(): Promise<readonly ReceivedMessage[]>;
}

export function newReceivedMessage(message: ContactMessage, now: number): ReceivedMessage {
  return { ...message, id: randomUUID(), receivedAt: now };
}
