// The cart flow in a real browser: the origin, and the local AMP cache (another site) with the
// shop's cookie allowed or blocked. Mirrors test/cart-flow.test.ts, but here the browser decides
// which cookies go where. Every scenario checks the cart on the SERVER (which session each change
// landed in) and what the person sees. AMP runtime: see e2e/amp-runtime-double/ and AMP_RUNTIME_DIR.
import type { Page } from 'playwright';
import { paths } from '../server/paths';
import type { TestBrowser } from './support/browser';
import path from 'node:path';
import { RESULTS_DIR, runScenario } from './support/scenario';
import { startServers, type ServersUnderTest } from './support/servers';
import {
  addFromProductPage,
  addToCart,
  landOn,
  sessionOf as shopperSession,
  successMessage,
  visit,
} from './support/steps';

const SUPERCLIP = paths.product('superclip');
const CLASSIC_CLIPS = paths.product('classic-paper-clips');
// The option each product page preselects (the first one in stock).
const SUPERCLIP_100 = 'SC-NAT-100';
const SUPERCLIP_250 = 'SC-NAT-250';
const CLASSIC_100 = 'CL-SLV-100';

// jest.config.js sets testTimeout on the e2e project, but jest only reads it globally.
jest.setTimeout(60_000);

let servers: ServersUnderTest;
let origin: string;

beforeAll(async () => {
  servers = await startServers();
  origin = servers.originUrl;
});
afterAll(() => servers?.close());
beforeEach(() => {
  servers.changes.length = 0;
});

describe('the cart flow in Chromium', () => {
  it('a. origin, new visitor: add shows the message, the cart shows the line', async () => {
    await runScenario('a-origin-new-visitor', { thirdPartyCookies: 'block' }, async (browser) => {
      const { page } = browser;
      const sessionsBefore = sessionCount();
      await visit(page, origin + SUPERCLIP);
      // Step 1: the page's badge request gave the browser its cookie; nothing is stored yet.
      const sessionId = await sessionOf(browser);
      expect(sessionCount()).toBe(sessionsBefore);
      expect(await inCartLines(page)).toEqual([]);

      await addToCart(page);
      expect(await successMessage(page, 'form.buy-form')).toContain('Added 1 × Superclip');
      // The badge and the "in your cart" part ask again after the change.
      await page.locator('#in-cart .in-cart-line').waitFor();
      expect(await inCartLines(page)).toEqual(['In your cart 1 × Natural soy, pack of 100']);
      expect(await page.locator('#cart-badge > [role=list]').innerText()).toMatch(/^Cart\s+1/);

      // The first cart change stored the session, under the cookie from step 1.
      expect(sessionCount()).toBe(sessionsBefore + 1);
      expect(await sessionOf(browser)).toBe(sessionId);
      expect(await servers.shop.carts.get(sessionId)).toEqual([
        { sku: SUPERCLIP_100, quantity: 1 },
      ]);
      expect(servers.changes).toEqual([
        { sessionId, change: { op: 'add', sku: SUPERCLIP_100, quantity: 1 } },
      ]);
      // The runtime's same-origin request: the page's own origin as the source origin.
      const [post] = browser.requestsTo(origin, paths.cartApi.add);
      expect(post.url.searchParams.get('__amp_source_origin')).toBe(origin);
      expect(browser.requestsTo(origin, paths.applyChange)).toHaveLength(0);

      await visit(page, origin + paths.cart);
      expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '1' }]);
    });
  });

  it('b. cache, third-party cookies blocked, new visitor: lands on the clean origin cart', async () => {
    await runScenario(
      'b-cache-blocked-new-visitor',
      { thirdPartyCookies: 'block' },
      async (browser) => {
        const { page } = browser;
        await visit(page, servers.cachePageUrl(SUPERCLIP));
        const sessionsBefore = sessionCount();
        await addToCart(page);
        await landOn(page, origin + paths.cart);

        expect(page.url()).toBe(origin + paths.cart); // no query string: a reload changes nothing
        expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '1' }]);
        const sessionId = await sessionOf(browser);
        expect(await servers.shop.carts.get(sessionId)).toEqual([
          { sku: SUPERCLIP_100, quantity: 1 },
        ]);
        expect(servers.changes.map((c) => c.sessionId)).toEqual([sessionId]);
        expect(sessionCount()).toBe(sessionsBefore + 1); // this visitor's, made on the origin

        // The POST came from the cache page (whose own origin the runtime sends as the source
        // origin on a local cache), then exactly one top-level hop through the apply path.
        const [post] = browser.requestsTo(origin, paths.cartApi.add);
        expect(post.url.searchParams.get('__amp_source_origin')).toBe(servers.cacheUrl);
        const applies = browser.requestsTo(origin, paths.applyChange);
        expect(applies).toHaveLength(1);
        expect(applies[0]).toMatchObject({ method: 'GET', navigation: true });

        // The trace panel tells the same story, from what the server saw.
        const trace = await tracePanel(page);
        expect(trace).toContain('Redirected to the origin: add 1 × Superclip');
        expect(trace).toContain('Form posted from a page served by an AMP cache');
        expect(trace).toContain(`${servers.cacheUrl} · session cookie not sent`);
        expect(trace).toContain('AMP-Same-Origin absent');
        expect(trace).toContain('Apply path on the origin');
        expect(trace).toContain('session cookie created');
        expect(trace).toContain('your browser kept the new session cookie');
        expect(trace).toContain('Clean cart URL');
      },
    );
  });

  it('c. cache, blocked, returning visitor: the change lands in the existing cart', async () => {
    await runScenario(
      'c-cache-blocked-returning',
      { thirdPartyCookies: 'block' },
      async (browser) => {
        const { page } = browser;
        await addFromProductPage(page, origin + SUPERCLIP);
        const sessionId = await sessionOf(browser);

        await visit(page, servers.cachePageUrl(CLASSIC_CLIPS));
        const sessionsBefore = sessionCount();
        await addToCart(page);
        await landOn(page, origin + paths.cart);

        expect(await sessionOf(browser)).toBe(sessionId);
        expect(sessionCount()).toBe(sessionsBefore);
        expect(await servers.shop.carts.get(sessionId)).toEqual([
          { sku: SUPERCLIP_100, quantity: 1 },
          { sku: CLASSIC_100, quantity: 1 },
        ]);
        // Both changes went to that one session: no second session or cart was made on the way.
        expect(servers.changes.map((c) => c.sessionId)).toEqual([sessionId, sessionId]);
        expect(browser.requestsTo(origin, paths.applyChange)).toHaveLength(1);
        expect(await cartLines(page)).toEqual([
          { name: 'Superclip', quantity: '1' },
          { name: 'Classic Paper Clips', quantity: '1' },
        ]);
      },
    );
  });

  it('d. cache, third-party cookies allowed, returning visitor: applied with no redirect', async () => {
    await runScenario(
      'd-cache-allowed-returning',
      { thirdPartyCookies: 'allow' },
      async (browser) => {
        const { page } = browser;
        await visit(page, origin + SUPERCLIP);
        const sessionId = await sessionOf(browser);

        const cachePage = servers.cachePageUrl(SUPERCLIP);
        await visit(page, cachePage);
        const sessionsBefore = sessionCount();
        await addToCart(page);
        expect(await successMessage(page, 'form.buy-form')).toContain('Added 1 × Superclip');
        // Its first cart change: the session is stored now, under the cookie the browser sent.
        expect(sessionCount()).toBe(sessionsBefore + 1);

        expect(page.url()).toBe(cachePage);
        expect(browser.requestsTo(origin, paths.applyChange)).toHaveLength(0);
        // The server found the cart by the cookie the browser sent from the cache page.
        expect(servers.changes.map((c) => c.sessionId)).toEqual([sessionId]);
        expect(await servers.shop.carts.get(sessionId)).toEqual([
          { sku: SUPERCLIP_100, quantity: 1 },
        ]);

        // On the origin's cart page, the trace panel shows the direct path from the cache page.
        await visit(page, origin + paths.cart);
        const trace = await tracePanel(page);
        expect(trace).toContain('Applied directly: add 1 × Superclip');
        expect(trace).toContain(`${servers.cacheUrl} · session cookie sent`);
        expect(trace).toContain('the change was applied to your cart directly');
        expect(trace).not.toContain('Apply path on the origin');
      },
    );
  });

  it('e. "in your cart" on a cache page (cookie allowed): change a quantity, remove a line', async () => {
    await runScenario(
      'e-cache-allowed-in-your-cart',
      { thirdPartyCookies: 'allow' },
      async (browser) => {
        const { page } = browser;
        await addFromProductPage(page, origin + SUPERCLIP);
        await page.locator(`input[name="sku"][value="${SUPERCLIP_250}"]`).check();
        await addToCart(page);
        await successMessage(page, 'form.buy-form');
        const sessionId = await sessionOf(browser);

        // The cache page is the same for everybody; the browser sends the cookie with the
        // amp-list request, so this shopper's lines show.
        await visit(page, servers.cachePageUrl(SUPERCLIP));
        expect(await inCartLines(page)).toEqual([
          'In your cart 1 × Natural soy, pack of 100',
          'In your cart 1 × Natural soy, pack of 250',
        ]);
        const setForm = inCartForm(page, SUPERCLIP_100, 'set');
        await setForm.locator('select[name="quantity"]').selectOption('4');
        await setForm.getByRole('button', { name: 'Update' }).click();
        await landOn(page, origin + paths.cart);
        expect(await servers.shop.carts.get(sessionId)).toEqual([
          { sku: SUPERCLIP_100, quantity: 4 },
          { sku: SUPERCLIP_250, quantity: 1 },
        ]);
        expect(await cartLines(page)).toEqual([
          { name: 'Superclip', quantity: '4' },
          { name: 'Superclip', quantity: '1' },
        ]);

        await visit(page, servers.cachePageUrl(SUPERCLIP));
        await inCartForm(page, SUPERCLIP_250, 'remove')
          .getByRole('button', { name: 'Remove' })
          .click();
        await landOn(page, origin + paths.cart);
        expect(await servers.shop.carts.get(sessionId)).toEqual([
          { sku: SUPERCLIP_100, quantity: 4 },
        ]);
        expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '4' }]);

        // Each change came with the cookie: applied directly, no trip through the apply path.
        expect(servers.changes.map((c) => c.sessionId)).toEqual(Array(4).fill(sessionId));
        expect(browser.requestsTo(origin, paths.applyChange)).toHaveLength(0);
      },
    );
  });

  it('e2. a cache page whose browser keeps the cookie back shows no "in your cart" part', async () => {
    await runScenario(
      'e2-cache-blocked-in-your-cart',
      { thirdPartyCookies: 'block' },
      async (browser) => {
        const { page } = browser;
        await addFromProductPage(page, origin + SUPERCLIP);
        expect(await inCartLines(page)).toHaveLength(1);
        await visit(page, servers.cachePageUrl(SUPERCLIP));
        expect(await inCartLines(page)).toEqual([]);
        expect(await page.locator('#cart-badge > [role=list]').innerText()).toBe('Cart');
      },
    );
  });

  it('f. after the redirect flow, reload and back do not add the line again', async () => {
    await runScenario('f-reload-and-back', { thirdPartyCookies: 'block' }, async (browser) => {
      const { page } = browser;
      const cachePage = servers.cachePageUrl(SUPERCLIP);
      await visit(page, cachePage);
      await addToCart(page);
      await landOn(page, origin + paths.cart);
      const sessionId = await sessionOf(browser);
      const once = [{ sku: SUPERCLIP_100, quantity: 1 }];
      expect(await servers.shop.carts.get(sessionId)).toEqual(once);

      await page.reload();
      expect(page.url()).toBe(origin + paths.cart);
      await page.goBack();
      expect(page.url()).toBe(cachePage); // the redirect hops left no history entries
      await page.goForward();
      expect(page.url()).toBe(origin + paths.cart);

      expect(await servers.shop.carts.get(sessionId)).toEqual(once);
      expect(servers.changes).toHaveLength(1);
      expect(browser.requestsTo(origin, paths.applyChange)).toHaveLength(1);
      expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '1' }]);
    });
  });

  it('g. all cookies blocked: no redirect loop, a clear message instead', async () => {
    const policy = { thirdPartyCookies: 'block', allCookies: 'block' } as const;
    await runScenario('g-all-cookies-blocked', policy, async (browser) => {
      const { page } = browser;
      // The policy really blocks first-party cookies: an origin page leaves none behind.
      await visit(page, origin + SUPERCLIP);
      expect(await browser.sessionId(origin)).toBeUndefined();

      await visit(page, servers.cachePageUrl(SUPERCLIP));
      await addToCart(page);
      await landOn(page, origin + paths.cookieCheck);
      await page.waitForLoadState('networkidle');

      expect(page.url()).toBe(origin + paths.cookieCheck);
      expect(await page.locator('h1').innerText()).toContain('Your cart needs cookies');
      expect(browser.requestsTo(origin, paths.applyChange)).toHaveLength(1);
      expect(browser.requestsTo(origin, paths.cookieCheck)).toHaveLength(1);
      expect(browser.requestsTo(origin, paths.cart)).toHaveLength(0);
      expect(await browser.sessionId(origin)).toBeUndefined();
      // The change went to a session the browser refused to keep: nobody's cart but that one.
      expect(servers.changes).toHaveLength(1);
    });
  });

  it('h. the cache banner and the "view this page from the AMP cache" link', async () => {
    await runScenario(
      'h-cache-banner-and-link',
      { thirdPartyCookies: 'block' },
      async (browser) => {
        const { page } = browser;
        await visit(page, origin + SUPERCLIP);
        const toCache = page.getByRole('link', { name: /view this page from the AMP cache/i });
        if ((await toCache.count()) === 0) {
          throw new Error(
            'The origin product page has no "view this page from the AMP cache" link.',
          );
        }
        await toCache.click();
        await landOn(page, servers.cachePageUrl(SUPERCLIP));
        expect(await page.locator('h1').innerText()).toBe('Superclip');

        const banner = page.getByText(/served by the local AMP cache/i);
        if ((await banner.count()) === 0) {
          throw new Error('The cache page shows no "served by the local AMP cache" banner.');
        }
        expect(await banner.isVisible()).toBe(true);
        await page.screenshot({ path: path.join(RESULTS_DIR, 'h-cache-page.png') });
        await page.getByRole('link', { name: /open this page on the shop/i }).click();
        await landOn(page, origin + SUPERCLIP);
        expect(servers.changes).toEqual([]);
      },
    );
  });
});

/** The "in your cart" part of a product page: each line, as the person reads it. */
async function inCartLines(page: Page): Promise<string[]> {
  const lines = await page.locator('#in-cart .in-cart-what').allTextContents();
  return lines.map((line) => line.replace(/\s+/g, ' ').trim());
}

/** That part's `set` or `remove` form for one SKU. */
function inCartForm(page: Page, sku: string, op: 'set' | 'remove') {
  return page
    .locator(`#in-cart form[action-xhr*="/api/cart/${op}"]`)
    .filter({ has: page.locator(`input[name="sku"][value="${sku}"]`) });
}

/** What the cart page shows: each line's product name and selected quantity. */
async function tracePanel(page: Page): Promise<string> {
  return page.locator('section.trace').innerText();
}

async function cartLines(page: Page): Promise<{ name: string; quantity: string }[]> {
  const lines = await page.locator('.cart-line').all();
  return Promise.all(
    lines.map(async (line) => ({
      name: (await line.locator('.cart-line-name').innerText()).trim(),
      quantity: await line.locator('select[name="quantity"]').inputValue(),
    })),
  );
}

/** Sessions the server stores: one per shopper whose cart changed (page views store none). */
function sessionCount(): number {
  return servers.shop.memory!.sessions.size;
}

function sessionOf(browser: TestBrowser): Promise<string> {
  return shopperSession(browser, origin);
}
