// Every kind of page the shop serves, checked with axe-core in every engine (E2E_BROWSERS picks),
// on the origin and from the local AMP cache: no violation of any impact. The report (every
// violation found, with its impact) is kept in test-results/e2e/<engine>-accessibility.json next to
// a screenshot of each page.
import { paths } from '../server/paths';
import { checkAccessibility, keepReport, type PageReport } from './support/accessibility';
import { selectedEngines } from './support/engines';
import { runScenario } from './support/scenario';
import { serversForThisFile } from './support/servers';
import { addToCart, click, fillCheckout, landOn, visit, waitFor } from './support/steps';

jest.setTimeout(120_000);

const running = serversForThisFile();

describe.each(selectedEngines())('accessibility in %s', (engine) => {
  it('every page kind, on the origin and from the cache, has no violation', () => {
    const servers = running();
    const origin = servers.originUrl;
    const reports: PageReport[] = [];
    return runScenario(engine, servers, 'accessibility', 'block-third-party', async (page) => {
      const check = (name: string) => checkAccessibility(page, engine, name, reports);
      const at = async (name: string, url: string) => {
        await visit(page, url);
        await check(name);
      };

      // Before any cookie: the page a shopper whose browser keeps none lands on.
      await at('cookie-check', origin + paths.cookieCheck);
      expect(await page.url()).toBe(origin + paths.cookieCheck);
      await at('home', origin + paths.home);
      await at('cart-empty', origin + paths.cart);
      await at('product', origin + paths.product('superclip'));
      await addToCart(page);
      await waitFor(() => servers.changes.length === 1, 'the add to reach the server');
      await at('cart', origin + paths.cart);
      await at('contact', origin + paths.contact);
      await at('not-found', `${origin}/no-such-page`);
      await at('cache-home', servers.cachePageUrl(paths.home));
      await at('cache-product', servers.cachePageUrl(paths.product('superclip')));

      // Checkout from the cache: the origin's confirm page, then the order's own page.
      await at('cache-checkout', servers.cachePageUrl(paths.checkout));
      await fillCheckout(page);
      await click(page, 'button', 'Place order');
      await landOn(page, (url) => url.pathname === paths.placeOrder);
      await check('confirm-order');
      await click(page, 'button', 'Place order');
      await landOn(page, (url) => url.pathname.startsWith('/orders/'));
      await check('order');

      expect(keepReport(engine, reports)).toEqual([]);
    });
  });
});
