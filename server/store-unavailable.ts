// A store that cannot answer (Redis down, restarting or slow) must neither hang a request nor show
// a stack trace: the request fails fast with a 503 and Retry-After, as JSON for the API (amp-form
// shows its submit-error) and as an AMP page otherwise, and one log line says why. Mount it after
// every route; other errors go on to requestErrorHandler (request-errors.ts).
import type { ErrorRequestHandler } from 'express';
import type { FlowObserver } from './flow/flow-events';
import type { ShowProblem } from './amp/problem';
import { paths } from './paths';

export const STORE_UNAVAILABLE = {
  title: 'Please try again in a moment',
  message: 'We cannot reach your cart just now. Please try again in a moment.',
};

const RETRY_AFTER_SECONDS = '5';

export function storeUnavailableHandler(
  isUnavailable: (error: unknown) => boolean,
  showProblem: ShowProblem,
  observe?: FlowObserver,
): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!isUnavailable(error)) {
      next(error);
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (res.headersSent) {
      // express-session saves or touches the session after the response: the shopper has it.
      req.log.warn({ reason }, 'Store unavailable after the response was sent');
      return;
    }
    req.log.warn({ reason }, 'Store unavailable: answered 503');
    observe?.({ type: 'store-unavailable' });
    res.set('Retry-After', RETRY_AFTER_SECONDS);
    if (req.path.startsWith(paths.apiPrefix)) {
      res.status(503).set('Cache-Control', 'no-store').json({ error: STORE_UNAVAILABLE.message });
      return;
    }
    showProblem(res, 503, {
      ...STORE_UNAVAILABLE,
      link: { href: paths.home, text: 'Back to the shop' },
    });
  };
}
