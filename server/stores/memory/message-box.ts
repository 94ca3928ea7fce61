// Contact messages in this process: an array, oldest first, cut to the last 100 of the last 7 days
// whenever a message is filed or the box is read.
import type { ContactMessage } from '../../contact/contact-message';
import {
  MESSAGE_LIMITS,
  newReceivedMessage,
  type MessageBox,
  type ReceivedMessage,
} from '../../contact/message-box';

export class MemoryMessageBox implements MessageBox {
  private messages: ReceivedMessage[] = [];

  constructor(
    private readonly limits = MESSAGE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  async receive(message: ContactMessage): Promise<ReceivedMessage> {
    const received = newReceivedMessage(message, this.now());
    this.messages.push(received);
    this.dropOld();
    return received;
  }

  async list(): Promise<readonly ReceivedMessage[]> {
    this.dropOld();
    return [...this.messages];
  }

  private dropOld(): void {
    const since = this.now() - this.limits.keepMs;
    this.messages = this.messages
      .filter((message) => message.receivedAt > since)
      .slice(-this.limits.keep);
  }
}
