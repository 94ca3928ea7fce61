// Abuse limits, per client: how many form posts (cart changes, checkout, "Place order", contact),
// origin links that act (apply, confirm) and CSP reports one client may send per window. Shared
// pages are not limited: caches and CDNs serve them. Over a limit the answer is a 429 with
// Retry-After, in the form the caller shows a person: JSON `{error}` for amp-form (which shows its
// submit-error), a page for a link, nothing for a report. Counting is express-rate-limit's; the
// counts live in Redis when REDIS_URL is set (every instance sees every hit), else in memory.
import { isIP } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { RateLimits } from './config';
import type { ShowProblem } from './amp/problem';
import type { Logger } from './logger';
import { paths } from './paths';

export type LimitName = 'posts' | 'links' | 'reports';

export interface RateLimitDeps {
  limits: RateLimits;
  /** A store shared by every instance, or undefined to count in this process. */
  storeFor(name: LimitName): Store | undefined;
  showProblem: ShowProblem;
  logger: Logger;
  /** True for an error that means the store could not answer (see stores.ts). */
  isUnavailable(error: unknown): boolean;
}

export type RateLimiters = Record<LimitName, RequestHandler>;

export const TOO_MANY_TITLE = 'Please slow down';

/** The sentence a person reads, for the seconds Retry-After names. */
export function tooManyMessage(seconds: number): string {
  const wait = seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `We got a lot of requests from you in a short time. Please wait ${wait} and try again.`;
}

/**
 * Who "a client" is: the address Express reports (behind TRUST_PROXY, the one the trusted proxy
 * saw), or the connection's own when that is not an IP address at all (a forwarded header full of
 * junk). IPv6 clients count per /56, the smallest block a household usually gets.
 */
export function clientKey(ip: string | undefined, connectionAddress: string | undefined): string {
  const address = ip && isIP(ip) ? ip : connectionAddress;
  return address && isIP(address) ? ipKeyGenerator(address) : 'unknown';
}

export function createRateLimiters(deps: RateLimitDeps): RateLimiters {
  const { limits, storeFor, showProblem, logger, isUnavailable } = deps;
  const limiter = (name: LimitName, answer: (res: Response, seconds: number) => void) =>
    rateLimit({
      windowMs: limits.windowMs,
      limit: limits[name],
      store: storeFor(name),
      keyGenerator: (req: Request) => clientKey(req.ip, req.socket.remoteAddress),
      // clientKey groups IPv6 addresses with ipKeyGenerator; this check only reads the source
      // of the function above, sees `req.ip`, and would warn about the opposite.
      validate: { keyGeneratorIpFallback: false },
      // Retry-After on a 429, and the draft standard RateLimit headers on every answer.
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      // A store that cannot count (Redis down) lets the request through uncounted: whatever it
      // needs from the store answers its own 503, and what needs nothing (a cache page's redirect
      // to the origin) still works.
      passOnStoreError: true,
      handler: (_req, res) => {
        res.set('Cache-Control', 'no-store');
        answer(res, Number(res.get('Retry-After')) || Math.ceil(limits.windowMs / 1000));
      },
      logger: {
        // An outage is logged once by the Redis client: each uncounted request only at debug.
        error: (error, message = 'rate limiter') =>
          isUnavailable(error)
            ? logger.debug({ reason: String(error) }, 'Rate limit not counted: store unavailable')
            : logger.error({ err: error }, message),
        warn: (error, message = 'rate limiter') => logger.warn({ err: error }, message),
      },
    });

  return {
    posts: limiter('posts', (res, seconds) => {
      res.status(429).json({ error: tooManyMessage(seconds) });
    }),
    links: limiter('links', (res, seconds) => {
      showProblem(res, 429, {
        title: TOO_MANY_TITLE,
        message: tooManyMessage(seconds),
        link: { href: paths.cart, text: 'See your cart' },
      });
    }),
    reports: limiter('reports', (res) => {
      res.status(429).end();
    }),
  };
}
