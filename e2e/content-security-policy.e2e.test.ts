// The Content-Security-Policy in real browsers, in every engine (E2E_BROWSERS picks): on the shop's
// own pages and on the local AMP cache's copies (another origin), the AMP runtime loads and the
// cart form posts without a single violation, while a script from anywhere else is refused.
//
// Violations are seen two ways. In the page, a `securitypolicyviolation` listener — added once the
// page has loaded, because WebKitWebDriver cannot run a script before the page's own; and on the
// server, the reports the browser posts to the shop's report endpoint. Both must stay empty.
import { paths } from '../server/paths';
import type { Driver } from './support/driver';
import { selectedEngines, type Engine } from './support/engines';
import { cspViolationsSeen, listenForCspViolations } from './support/in-page';
import { runScenario } from './support/scenario';
import { serversForThisFile } from './support/servers';
import { addToCart, formMessage, visit, waitUntil } from './support/steps';

jest.setTimeout(90_000);

const running = serversForThisFile();

describe.each(selectedEngines())('the Content-Security-Policy in %s', (engine) => {
  it.each([
    ['the origin', 'origin', () => running().originUrl + paths.product('superclip')],
    ['the local AMP cache', 'cache', () => running().cachePageUrl(paths.product('superclip'))],
  ])('on %s: the runtime loads and "Add to cart" works, with no violation', (_where, name, url) =>
    runScenario(engine, running(), `csp-${name}`, 'allow-third-party', async (page) => {
      // A returning shopper (the origin's badge request gave the cookie), so that the cache page's
      // post is answered on the page itself rather than through the redirect path.
      await visit(page, running().originUrl + paths.home);
      await visit(page, url());
      await page.run(String(listenForCspViolations));
      await addToCart(page);
      expect(await formMessage(page, 'form.buy-form')).toMatch(/added/i);
      expect(await violations(page)).toEqual([]);
      expect(running().requestsTo(paths.cspReports)).toEqual([]);
    }),
  );

  it('refuses a script from another site, and says so', () =>
    runScenario(engine, running(), 'csp-refused', 'allow-third-party', async (page) => {
      await visit(page, running().cachePageUrl(paths.home));
      await page.run(String(listenForCspViolations));
      await page.run(
        String(() => {
          const script = document.createElement('script');
          script.src = 'https://evil.example/steal.js';
          document.head.append(script);
        }),
      );
      await waitUntil(async () => (await violations(page)).length > 0, 'a CSP violation');
      expect(await violations(page)).toEqual([`script-src-elem ${BLOCKED_URI[engine]}`]);
    }));
});

/**
 * The violation's `blockedURI`, as each engine reports it: WebKit writes the default port out
 * (measured with WebKitGTK 2.50; docs/testing.md).
 */
const BLOCKED_URI: Record<Engine, string> = {
  chromium: 'https://evil.example/steal.js',
  firefox: 'https://evil.example/steal.js',
  webkit: 'https://evil.example:443/steal.js',
};

function violations(page: Driver): Promise<string[]> {
  return page.run(String(cspViolationsSeen));
}
