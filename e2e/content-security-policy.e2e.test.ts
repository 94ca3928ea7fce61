// The Content-Security-Policy in a real browser: on the shop's own pages and on the local AMP
// cache's copies (another origin), the AMP runtime loads and the cart form posts without a single
// violation, while a script from anywhere else is refused.
import type { Page } from 'playwright';
import { paths } from '../server/paths';
import { launchBrowser, type TestBrowser } from './support/browser';
import { serversForThisFile } from './support/servers';
import { addFromProductPage, visit } from './support/steps';

jest.setTimeout(60_000);

const servers = serversForThisFile();
let browser: TestBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ thirdPartyCookies: 'allow' });
  // Every violation the page sees, from its first script on.
  await browser.context.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { cspViolations: seen });
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
});
afterAll(() => browser?.close());

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

it.each([
  ['the origin', () => servers().originUrl + paths.product('superclip')],
  ['the local AMP cache', () => servers().cachePageUrl(paths.product('superclip'))],
])('on %s: the runtime loads and "Add to cart" works, with no violation', async (_where, url) => {
  const { page } = browser;
  expect(await addFromProductPage(page, url())).toMatch(/added/i);
  expect(await violations(page)).toEqual([]);
});

it('refuses a script from another site, and says so', async () => {
  const { page } = browser;
  await visit(page, servers().cachePageUrl(paths.home));
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.src = 'https://evil.example/steal.js';
    document.head.append(script);
  });
  await page.waitForFunction(
    () => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0,
  );
  expect(await violations(page)).toEqual(['script-src-elem https://evil.example/steal.js']);
});
