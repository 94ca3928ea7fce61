// The abuse limits as a person meets them in a browser, in every engine (E2E_BROWSERS picks): past
// the limit, amp-form shows the 429's sentence in its submit-error, and an over-used link shows a
// page that says to slow down. Each engine gets its own servers, so its counts start at zero.
import { paths } from '../server/paths';
import { TOO_MANY_TITLE } from '../server/rate-limits';
import { selectedEngines } from './support/engines';
import { runScenario } from './support/scenario';
import { serversForThisFile } from './support/servers';
import { addToCart, formMessage, text, visit } from './support/steps';

// Firefox takes several seconds to start; each scenario starts its own browser.
jest.setTimeout(90_000);

describe.each(selectedEngines())('abuse limits in %s', (engine) => {
  const running = serversForThisFile({ RATE_LIMIT_POSTS: '2', RATE_LIMIT_LINKS: '2' });

  it('the third "Add to cart" in a minute: the form says to wait, in words', () => {
    const servers = running();
    return runScenario(engine, servers, 'rate-limit-posts', 'default', async (page) => {
      const product = servers.originUrl + paths.product('superclip');
      for (let i = 0; i < 2; i++) {
        await visit(page, product);
        await addToCart(page);
        expect(await formMessage(page, 'form.buy-form')).toMatch(/added/i);
      }
      await visit(page, product);
      await addToCart(page);
      expect(await formMessage(page, 'form.buy-form', 'submit-error')).toMatch(
        /^We got a lot of requests from you in a short time\. Please wait \d+ seconds? and try again\.$/,
      );
      expect(servers.requestsTo(paths.cartApi.add).map((r) => r.status)).toEqual([200, 200, 429]);
    });
  });

  it('a link opened too often: a page that says to slow down', () => {
    const servers = running();
    return runScenario(engine, servers, 'rate-limit-links', 'default', async (page) => {
      const link = `${servers.originUrl}${paths.placeOrder}?pending=x`;
      for (let i = 0; i < 3; i++) await page.goto(link);
      // Not a valid link, but counted: two answers of 400, then the limit's 429.
      expect(servers.requestsTo(paths.placeOrder).map((r) => r.status)).toEqual([400, 400, 429]);
      expect(await text(page, 'h1')).toBe(TOO_MANY_TITLE);
    });
  });
});
