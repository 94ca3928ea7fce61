// express-session with a store that can fail (Redis). Two things its callback style gets wrong
// once the store may be down, fixed here for every handler that runs it:
// - a store error must reach Express's error handling (a 503), not be ignored or lost in an async
//   callback nobody awaits;
// - express-session reports a late save or touch error by calling the same callback again, after
//   the response: that must never run the handler (and apply a change) a second time.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sessionCookieValue } from './1-session-cookie';

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
 * Saves a brand-new session before the request goes on, rather than after the response as
 * express-session does: a response that sets the cookie (a 200 for a cart change, say) then never
 * names a session the store failed to keep, and a store that is down fails the request first.
 */
export function saveNewSessionFirst(sessions: RequestHandler): RequestHandler {
  return (req, res, next) =>
    sessions(req, res, (error?: unknown) => {
      if (error || !req.session || !isNewSession(req)) {
        next(error);
        return;
      }
      req.session.save((saveError: unknown) => next(saveError));
    });
}

// express-session only keeps the id of a cookie it verified and found in the store; anything else
// (no cookie, a forged one, one whose session expired) got a freshly generated id.
function isNewSession(req: Request): boolean {
  const cookie = sessionCookieValue(req);
  return typeof cookie !== 'string' || !cookie.startsWith(`s:${req.sessionID}.`);
}
