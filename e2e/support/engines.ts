// The browser engines the scenarios run in, and which of them this run uses (E2E_BROWSERS).
export const ENGINES = ['chromium', 'firefox', 'webkit'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * A cookie setting, in each engine's own terms (see docs/testing.md, "Cookie settings"):
 * - `default`: the test sets nothing; whatever the engine does out of the box under automation.
 * - `allow-third-party`: the shop's cookie is sent from the cache page.
 * - `block-third-party`: it is not (Chromium's setting, Firefox rejecting third-party cookies,
 *   WebKit with Intelligent Tracking Prevention like Safari); first-party cookies still work.
 * - `block-all`: no cookies at all, first-party included.
 */
export type CookiePolicy = 'default' | 'allow-third-party' | 'block-third-party' | 'block-all';

/** `E2E_BROWSERS=chromium,webkit` runs those engines; unset or empty, all three. */
export function selectedEngines(value = process.env.E2E_BROWSERS): Engine[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) return [...ENGINES];
  const unknown = names.filter((name) => !(ENGINES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `E2E_BROWSERS names ${unknown.join(', ')}: use a comma list of ${ENGINES.join(', ')}.`,
    );
  }
  return ENGINES.filter((engine) => names.includes(engine));
}
