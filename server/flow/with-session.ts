// express-session with a store that can fail (Redis). Two things its callback style gets wrong
// once the store may be down, fixed here for every handler that runs it:
// - a store error must reach Express's error handling (a 503), not be ignored or lost in an async
//   callback nobody awaits;
// - express-session reports a late save or touch error by calling the same callback again, after
//   the response: that must never run the handler (and apply a change) a second time.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Runs the session middleware inside a route handler, then `handler`, errors to `next`. */
export function withSession(
  sessions: RequestHandler,
  req: Request,
  res: Response,
  next: NextFunction,
  handler: () => Promise<void>,
): void {
  sessions(req, res, (error?: unknown) => {
    // A late error comes with an error: it goes to Express, and the handler does not run again.
    if (error) next(error);
    else handler().catch(next);
  });
}

/**
 * A cart changed: the session gets (or refreshes) its store entry now, before the answer goes out,
 * so a store that is down fails the request rather than the change going unrecorded. This is the
 * only place a session is first stored: page views and badge requests never write one.
 */
export function recordCartChange(req: Request): Promise<void> {
  req.session.cartChangedAt = Date.now();
  return new Promise((resolve, reject) =>
    req.session.save((error: unknown) => (error ? reject(error) : resolve())),
  );
}
