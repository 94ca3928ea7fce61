// The cart flow in real browsers — Chromium, Firefox and WebKit (E2E_BROWSERS picks) — over HTTPS:
// the origin, and the local AMP cache (another site) with the shop's cookie allowed, blocked, or at
// the engine's default. Mirrors test/cart-flow.test.ts, but here the browser decides which cookies
// go where. Every scenario checks the cart on the SERVER (which session each change landed in, which
// requests arrived) and what the person sees. AMP runtime: e2e/amp-runtime-double/, AMP_RUNTIME_DIR.
import { paths } from '../server/paths';
import { cookieSentFromCache, whyCookieSentOrNot } from './support/cookie-behaviour';
import type { Driver } from './support/driver';
import { selectedEngines, type CookiePolicy } from './support/engines';
import { BACK_ACROSS_SITES, backOrWhyNot } from './support/launch';
import { runScenario, resultFile } from './support/scenario';
import { serversForThisFile, type ServersUnderTest } from './support/servers';
import {
  addFromProductPage,
  addToCart,
  cartLines,
  click,
  contents,
  formMessage,
  landOn,
  sessionInJar,
  sessionOf,
  set,
  shows,
  text,
  visit,
  waitFor,
  waitUntil,
} from './support/steps';

const SUPERCLIP = paths.product('superclip');
const CLASSIC_CLIPS = paths.product('classic-paper-clips');
// The option each product page preselects (the first one in stock).
const SUPERCLIP_100 = 'SC-NAT-100';
const SUPERCLIP_250 = 'SC-NAT-250';
const CLASSIC_100 = 'CL-SLV-100';

// Firefox takes several seconds to start; each scenario starts its own browser.
jest.setTimeout(90_000);

const running = serversForThisFile();

describe.each(selectedEngines())('the cart flow in %s', (engine) => {
  let servers: ServersUnderTest;
  let origin: string;
  beforeAll(() => {
    servers = running();
    origin = servers.originUrl;
  });
  const scenario = (name: string, policy: CookiePolicy, body: (page: Driver) => Promise<void>) =>
    runScenario(engine, servers, name, policy, body);

  it('origin, new shopper: add shows the message, the cart shows the line', () =>
    scenario('origin-new-shopper', 'default', async (page) => {
      const sessionsBefore = sessionCount();
      await visit(page, origin + SUPERCLIP);
      // Step 1: the page's badge request gave the browser its cookie; nothing is stored yet.
      const sessionId = await sessionOf(page, origin);
      expect(sessionCount()).toBe(sessionsBefore);
      expect(await inCartLines(page)).toEqual([]);

      await addToCart(page);
      expect(await formMessage(page, 'form.buy-form')).toContain('Added 1 × Superclip');
      // The badge and the "in your cart" part ask again after the change.
      await waitUntil(async () => (await inCartLines(page)).length > 0, 'the "in your cart" line');
      expect(await inCartLines(page)).toEqual(['In your cart 1 × Natural soy, pack of 100']);
      expect(await text(page, BADGE)).toMatch(/^Cart\s+1/);

      // The first cart change stored the session, under the cookie from step 1.
      expect(sessionCount()).toBe(sessionsBefore + 1);
      expect(await sessionOf(page, origin)).toBe(sessionId);
      expect(await servers.shop.carts.get(sessionId)).toEqual([
        { sku: SUPERCLIP_100, quantity: 1 },
      ]);
      expect(servers.changes).toEqual([
        { sessionId, change: { op: 'add', sku: SUPERCLIP_100, quantity: 1 } },
      ]);
      // The same-origin post: the page's own origin as the source origin, the cookie sent.
      const [post] = servers.requestsTo(paths.cartApi.add);
      expect(post.url.searchParams.get('__amp_source_origin')).toBe(origin);
      expect(post.sessionSent).toBe(sessionId);
      expect(servers.requestsTo(paths.applyChange)).toHaveLength(0);

      await visit(page, origin + paths.cart);
      expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '1' }]);
    }));

  it('cache, third-party cookies blocked, new shopper: lands on the clean origin cart', () =>
    scenario('cache-blocked-new-shopper', 'block-third-party', async (page) => {
      await visit(page, servers.cachePageUrl(SUPERCLIP));
      const sessionsBefore = sessionCount();
      await addToCart(page);
      await landOn(page, origin + paths.cart);

      expect(await page.url()).toBe(origin + paths.cart); // no query: a reload changes nothing
      expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '1' }]);
      const sessionId = await sessionOf(page, origin);
      expect(await servers.shop.carts.get(sessionId)).toEqual([
        { sku: SUPERCLIP_100, quantity: 1 },
      ]);
      expect(servers.changes.map((c) => c.sessionId)).toEqual([sessionId]);
      expect(sessionCount()).toBe(sessionsBefore + 1); // this shopper's, made on the origin

      // The post came from the cache page (whose own origin the runtime sends as the source
      // origin on a local cache) without a cookie, then exactly one top-level hop through the
      // apply path, which set the cookie.
      const [post] = servers.requestsTo(paths.cartApi.add);
      expect(post.url.searchParams.get('__amp_source_origin')).toBe(servers.cacheUrl);
      expect(post.sessionSent).toBeUndefined();
      const applies = servers.requestsTo(paths.applyChange);
      expect(applies).toHaveLength(1);
      expect(applies[0]).toMatchObject({ method: 'GET', navigation: true, sessionSet: sessionId });

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
    }));

  // A returning shopper on a cache page: whether the engine sends the cookie decides the path.
  // Where it does, the change is applied at once; where it does not, the shopper takes the
  // redirect path and the change still lands in their one cart.
  describe.each<CookiePolicy>(['default', 'allow-third-party', 'block-third-party'])(
    'cache, returning shopper, cookies at %s',
    (policy) => {
      const sent = cookieSentFromCache(engine, policy);
      const path = sent ? 'applied at once, no redirect' : 'the redirect path, same cart';
      it(`${path} (${whyCookieSentOrNot(engine, policy)})`, () =>
        scenario(`cache-returning-${policy}`, policy, async (page) => {
          await addFromProductPage(page, origin + SUPERCLIP);
          const sessionId = await sessionOf(page, origin);

          const cachePage = servers.cachePageUrl(CLASSIC_CLIPS);
          await visit(page, cachePage);
          const sessionsBefore = sessionCount();
          await addToCart(page);
          if (sent) {
            expect(await formMessage(page, 'form.buy-form')).toContain(
              'Added 1 × Classic Paper Clips',
            );
            expect(await page.url()).toBe(cachePage);
          } else {
            await landOn(page, origin + paths.cart);
            expect(await sessionOf(page, origin)).toBe(sessionId);
          }
          // What the browser really sent, as the server received it.
          const [, post] = servers.requestsTo(paths.cartApi.add);
          expect(post.sessionSent).toBe(sent ? sessionId : undefined);
          expect(servers.requestsTo(paths.applyChange)).toHaveLength(sent ? 0 : 1);
          expect(sessionCount()).toBe(sessionsBefore);
          // Both changes went to that one session: no second session or cart on the way.
          expect(servers.changes.map((c) => c.sessionId)).toEqual([sessionId, sessionId]);
          expect(await servers.shop.carts.get(sessionId)).toEqual([
            { sku: SUPERCLIP_100, quantity: 1 },
            { sku: CLASSIC_100, quantity: 1 },
          ]);

          await visit(page, origin + paths.cart);
          expect(await cartLines(page)).toEqual([
            { name: 'Superclip', quantity: '1' },
            { name: 'Classic Paper Clips', quantity: '1' },
          ]);
          const trace = await tracePanel(page);
          if (sent) {
            expect(trace).toContain('Applied directly: add 1 × Classic Paper Clips');
            expect(trace).toContain(`${servers.cacheUrl} · session cookie sent`);
            expect(trace).toContain('the change was applied to your cart directly');
            expect(trace).not.toContain('Apply path on the origin');
          } else {
            expect(trace).toContain('Redirected to the origin: add 1 × Classic Paper Clips');
            expect(trace).toContain(`${servers.cacheUrl} · session cookie not sent`);
          }
        }));
    },
  );

  // Seen through a cache, the product page's "in your cart" part comes from a credentialed
  // amp-list: only an engine that sends the shop's cookie there shows it (and so offers quantity
  // and remove on the cache page). Each change then goes straight to the cart, cookie and all.
  it('"in your cart" on a cache page (cookie allowed): change a quantity, remove a line', () =>
    scenario('cache-allowed-in-your-cart', 'allow-third-party', async (page) => {
      await addFromProductPage(page, origin + SUPERCLIP);
      await set(page, `form.buy-form input[name="sku"][value="${SUPERCLIP_250}"]`, true);
      await addToCart(page);
      await waitFor(() => servers.changes.length === 2, 'the second add to reach the server');
      const sessionId = await sessionOf(page, origin);

      // The cache page is the same for everybody; the browser sends the cookie with the
      // amp-list request, so this shopper's lines show.
      await visit(page, servers.cachePageUrl(SUPERCLIP));
      expect(await inCartLines(page)).toEqual([
        'In your cart 1 × Natural soy, pack of 100',
        'In your cart 1 × Natural soy, pack of 250',
      ]);
      const setForm = inCartForm(SUPERCLIP_100, 'set');
      await set(page, `${setForm} select[name="quantity"]`, '4');
      await click(page, 'button', 'Update', setForm);
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
      const removeForm = inCartForm(SUPERCLIP_250, 'remove');
      await click(page, 'button', 'Remove', removeForm);
      await landOn(page, origin + paths.cart);
      expect(await servers.shop.carts.get(sessionId)).toEqual([
        { sku: SUPERCLIP_100, quantity: 4 },
      ]);
      expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '4' }]);

      // Each change came with the cookie: applied directly, no trip through the apply path.
      expect(servers.changes.map((c) => c.sessionId)).toEqual(Array(4).fill(sessionId));
      expect(servers.requestsTo(paths.applyChange)).toHaveLength(0);
      for (const op of ['set', 'remove'] as const) {
        expect(servers.requestsTo(paths.cartApi[op])[0].sessionSent).toBe(sessionId);
      }
    }));

  it('a cache page whose browser keeps the cookie back shows no "in your cart" part', () =>
    scenario('cache-blocked-in-your-cart', 'block-third-party', async (page) => {
      await addFromProductPage(page, origin + SUPERCLIP);
      await waitUntil(async () => (await inCartLines(page)).length > 0, 'the "in your cart" line');
      expect(await inCartLines(page)).toHaveLength(1);
      await visit(page, servers.cachePageUrl(SUPERCLIP));
      expect(await inCartLines(page)).toEqual([]);
      expect(await text(page, BADGE)).toBe('Cart');
    }));

  it(`after the redirect path, reload${backOrWhyNot(engine)} do not add the line again`, () =>
    scenario('reload-and-back', 'block-third-party', async (page) => {
      const cachePage = servers.cachePageUrl(SUPERCLIP);
      await visit(page, cachePage);
      const entriesBefore = await historyLength(page);
      await addToCart(page);
      await landOn(page, origin + paths.cart);
      // One new history entry, the clean cart: the apply hop left none behind.
      expect(await historyLength(page)).toBe(entriesBefore + 1);
      const sessionId = await sessionOf(page, origin);
      const once = [{ sku: SUPERCLIP_100, quantity: 1 }];
      expect(await servers.shop.carts.get(sessionId)).toEqual(once);

      await page.reload();
      await landOn(page, origin + paths.cart);
      if (BACK_ACROSS_SITES[engine]) {
        await page.back();
        await landOn(page, cachePage);
        await page.forward();
        await landOn(page, origin + paths.cart);
      }

      expect(await servers.shop.carts.get(sessionId)).toEqual(once);
      expect(servers.changes).toHaveLength(1);
      expect(servers.requestsTo(paths.applyChange)).toHaveLength(1);
      expect(await cartLines(page)).toEqual([{ name: 'Superclip', quantity: '1' }]);
    }));

  it('all cookies blocked: no redirect loop, a clear message instead', () =>
    scenario('all-cookies-blocked', 'block-all', async (page) => {
      // The setting really blocks first-party cookies: an origin page leaves none behind.
      await visit(page, origin + SUPERCLIP);
      expect(await sessionInJar(page, origin)).toBeUndefined();

      await visit(page, servers.cachePageUrl(SUPERCLIP));
      await addToCart(page);
      await landOn(page, origin + paths.cookieCheck);

      expect(await text(page, 'h1')).toContain('Your cart needs cookies');
      expect(servers.requestsTo(paths.applyChange)).toHaveLength(1);
      expect(servers.requestsTo(paths.cookieCheck)).toHaveLength(1);
      expect(servers.requestsTo(paths.cookieCheck)[0].sessionSent).toBeUndefined();
      expect(servers.requestsTo(paths.cart)).toHaveLength(0);
      expect(await sessionInJar(page, origin)).toBeUndefined();
      // The change went to a session the browser refused to keep: nobody's cart but that one.
      expect(servers.changes).toHaveLength(1);
    }));

  it('the cache banner and the "view this page from the AMP cache" link', () =>
    scenario('cache-banner-and-link', 'block-third-party', async (page) => {
      await visit(page, origin + SUPERCLIP);
      await click(page, 'link', /view this page from the AMP cache/i);
      await landOn(page, servers.cachePageUrl(SUPERCLIP));
      expect(await text(page, 'h1')).toBe('Superclip');
      expect(await text(page, 'body')).toMatch(/served by the local AMP cache/i);
      await page.screenshot(resultFile(engine, 'cache-page', 'png'));

      await click(page, 'link', /open this page on the shop/i);
      await landOn(page, origin + SUPERCLIP);
      expect(servers.changes).toEqual([]);
      expect(await shows(page, 'button', 'Add to cart')).toBe(true);
    }));

  /** Sessions the server stores: one per shopper whose cart changed (page views store none). */
  function sessionCount(): number {
    return servers.shop.memory!.sessions.size;
  }
});

/** The header's cart badge, once its amp-list has rendered the shop's answer. */
const BADGE = '#cart-badge > [role=list]';

/** The "in your cart" part of a product page: each line, as the person reads it. */
function inCartLines(page: Driver): Promise<string[]> {
  return contents(page, '#in-cart .in-cart-what');
}

/** That part's `set` or `remove` form for one SKU. */
function inCartForm(sku: string, op: 'set' | 'remove'): string {
  return `#in-cart form[action-xhr*="/api/cart/${op}"]:has(input[name="sku"][value="${sku}"])`;
}

/** How many entries the tab's session history holds. */
function historyLength(page: Driver): Promise<number> {
  return page.run(String(() => history.length));
}

/** The cart page's flow trace panel, as text. */
function tracePanel(page: Driver): Promise<string> {
  return text(page, 'section.trace');
}
