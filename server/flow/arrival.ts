// What step 3 decides on, read from the request: did the session cookie come with it, and does the
// AMP runtime say the page is on our own origin (`AMP-Same-Origin: true`)?
import type { Request } from 'express';
import type { ArrivalFacts } from './3-redirect-to-origin';
import { hasSessionCookie } from './1-session-cookie';

export function arrivalOf(req: Request): ArrivalFacts {
  return {
    hasSessionCookie: hasSessionCookie(req),
    ampSameOrigin: req.get('amp-same-origin') === 'true',
  };
}
