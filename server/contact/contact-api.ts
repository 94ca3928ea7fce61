// The contact amp-form posts here, from the origin or from a cache page. Nothing depends on who
// is writing, so no cookie is needed (and none is read or set): the AMP CORS gate, the form, a
// thank-you. The log gets one line per message, without the person's name, email or words.
import type { RequestHandler } from 'express';
import { parseContactMessage } from './contact-message';
import type { MessageBox } from './message-box';

/** The part of a logger this needs (pino's `info(fields, message)`). */
export interface MessageLog {
  info(fields: object, message: string): void;
}

export interface ContactApiDeps {
  messages: MessageBox;
  log: MessageLog;
}

/** POST paths.contactApi, after the AMP CORS gate and the form body (see routes.ts). */
export function contactApi(deps: ContactApiDeps): RequestHandler {
  const { messages, log } = deps;

  return async (req, res) => {
    const parsed = parseContactMessage(req.body ?? {});
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    const received = await messages.receive(parsed.value);
    log.info(
      { event: 'contact-message', messageId: received.id, length: received.message.length },
      'contact message received',
    );
    res.json({
      message: `Thank you, ${received.name}. We got your message and will answer by email soon.`,
    });
  };
}
