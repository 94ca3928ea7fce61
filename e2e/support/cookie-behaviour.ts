// What each engine does with the shop's cookie on a cache page, as measured on this project's
// engines (Chromium 156 under Playwright, Firefox ESR 153, WebKitGTK 2.50): the scenarios expect
// what the engine does, not what Chromium does. docs/testing.md explains each row.
import type { CookiePolicy, Engine } from './engines';

/** At the engine's default setting, is a cookie the shopper already has sent cross-site? */
const SENT_BY_DEFAULT: Record<Engine, { sent: boolean; why: string }> = {
  chromium: {
    sent: false,
    why: 'Chromium under Playwright blocks third-party cookies in a fresh profile',
  },
  firefox: {
    sent: false,
    why: "Firefox's Total Cookie Protection keeps the origin's cookie out of the cache page",
  },
  webkit: {
    sent: true,
    why: "WebKitGTK's default (no-third-party) sends existing cookies, only refuses new ones",
  },
};

/** Does the cache page's form post carry the returning shopper's cookie? */
export function cookieSentFromCache(engine: Engine, policy: CookiePolicy): boolean {
  if (policy === 'default') return SENT_BY_DEFAULT[engine].sent;
  return policy === 'allow-third-party';
}

/** The sentence a test name carries for that expectation. */
export function whyCookieSentOrNot(engine: Engine, policy: CookiePolicy): string {
  if (policy === 'default') return SENT_BY_DEFAULT[engine].why;
  return policy === 'allow-third-party'
    ? 'third-party cookies allowed'
    : 'third-party cookies blocked';
}
