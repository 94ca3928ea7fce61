// The contact amp-form posts here, from the origin or from a cache page. Nothing depends on who
// is writing, so no cookie is needed (and none is read or set): the AMP CORS gate, the form, a
// thank-you. The log gets one line per message, without the person's name, email or words.
import { Router, type RequestHandler } from 'express';
import { formBodyParser, TEXT_FORM_LIMITS } from '../amp/form-body';
import { paths } from '../paths';
import { parseContactMessage } from './contact-message';
import type { MessageBox } from './message-box';

/** The part of a logger this needs (pino's `info(fields, message)`). */
export interface MessageLog {
  info(fields: object, message: string): void;
}

export interface ContactApiDeps {
  corsGate: RequestHandler;
  /** The per-client limit on form posts (rate-limits.ts). */
  limit: RequestHandler;
  messages: MessageBox;
  log: MessageLog;
}

export function createContactApi(deps: ContactApiDeps): Router {
  const { messages, log } = deps;
  const router = Router();

  router.post(
    paths.contactApi,
    deps.corsGate,
    deps.limit,
    formBodyParser(TEXT_FORM_LIMITS),
    async (req, res) => {
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
    },
  );

  return router;
}
