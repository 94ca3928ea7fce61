// The last error handler: what an error no route answered becomes. Two kinds reach it:
// - a request the shop cannot read (Express raises them with a 4xx status, e.g. a malformed
//   %-escape in `/products/%E0%A4%A`, which the router cannot decode): the status it raised, with
//   a sentence a person understands;
// - a bug: 500, logged with its stack for the operator, never shown to the visitor.
// Both as JSON under /api/ (amp-form shows its submit-error) and as an AMP page otherwise. Mounted
// after storeUnavailableHandler, which answers a store outage first.
import type { ErrorRequestHandler } from 'express';
import type { ShowProblem } from './amp/problem';
import { paths } from './paths';

export const UNREADABLE_REQUEST = {
  title: 'We could not read that request',
  message:
    'Part of this address or form is not written correctly. Please check the link, or start again from the shop.',
};

export const SERVER_FAULT = {
  title: 'Something went wrong on our side',
  message: 'Something went wrong on our side, and nothing was changed. Please try again.',
};

export function requestErrorHandler(showProblem: ShowProblem): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      // Too late to answer: Express closes the connection.
      next(error);
      return;
    }
    const status = clientErrorStatus(error);
    const answer = status ? UNREADABLE_REQUEST : SERVER_FAULT;
    if (status) req.log.info({ status, reason: String(error) }, 'Request refused');
    else req.log.error({ err: error }, 'Unexpected error');
    if (req.path.startsWith(paths.apiPrefix)) {
      res
        .status(status ?? 500)
        .set('Cache-Control', 'no-store')
        .json({ error: answer.message });
      return;
    }
    showProblem(res, status ?? 500, {
      ...answer,
      link: { href: paths.home, text: 'Back to the shop' },
    });
  };
}

/** The 4xx status a middleware gave the error (http-errors style), if any. */
function clientErrorStatus(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
