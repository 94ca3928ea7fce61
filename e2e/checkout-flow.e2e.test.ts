// Checkout and contact in a real browser, from the local AMP cache (another site) with third-party
// cookies BLOCKED: the redirect leads to the origin, which shows what would be ordered; the order
// is placed there, exactly once, when the shopper presses "Place order", and lands on the origin's
// confirmation page. The cart badge is checked as its amp-list shows it (the runtime double's
// amp-list, with the browser's own cookie rules).
import type { Page } from 'playwright';
import { paths } from '../server/paths';
import { runScenario } from './support/scenario';
import { serversForThisFile, type ServersUnderTest } from './support/servers';
import { addFromProductPage, landOn, sessionOf, successMessage, visit } from './support/steps';

jest.setTimeout(60_000);

const SUPERCLIP = paths.product('superclip');
const CHECKOUT_FORM = `form[action-xhr$="${paths.checkoutApi}"]`;
const DETAILS = {
  Name: 'Ana Lima',
  Email: 'ana.lima@example.com',
  'Street address': '12 Rue des Trombones',
  'Town or city': 'Lyon',
  Postcode: '69001',
  Country: 'France',
};

const running = serversForThisFile();
let servers: ServersUnderTest;
let origin: string;
beforeAll(() => {
  servers = running();
  origin = servers.originUrl;
});

describe('checkout and contact from the AMP cache in Chromium', () => {
  it('i. cache, third-party cookies blocked: one order, placed on the origin, confirmation shown', async () => {
    await runScenario(
      'i-cache-blocked-checkout',
      { thirdPartyCookies: 'block' },
      async (browser) => {
        const { page } = browser;
        // On the shop's own site: add to cart; the cart page's badge shows the count it rendered.
        await addFromProductPage(page, origin + SUPERCLIP);
        const sessionId = await sessionOf(browser, origin);
        await visit(page, origin + paths.cart);
        expect(await badge(page)).toBe('Cart 1 items');
        await page.getByRole('link', { name: 'Checkout' }).waitFor();

        // The cache's copy of the checkout page was fetched without any cookie: no count, no cart,
        // but the form.
        const cacheCheckout = servers.cachePageUrl(paths.checkout);
        await visit(page, cacheCheckout);
        expect(await badge(page)).toBe('Cart');
        const ordersBefore = orderCount();

        // The browser checks the rules first: a malformed email is never sent.
        await fillCheckout(page, { ...DETAILS, Email: 'not-an-email' });
        await placeOrder(page);
        const emailInput = page.getByLabel('Email');
        expect(await emailInput.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(
          false,
        );
        // The server checks them again, and names the field in a sentence.
        await fillCheckout(page, { ...DETAILS, Postcode: '69#01' });
        await placeOrder(page);
        expect(await successMessage(page, CHECKOUT_FORM, 'submit-error')).toContain(
          'Your postcode can only have letters, digits, spaces and dashes.',
        );
        expect(browser.requestsTo(origin, paths.checkoutApi)).toHaveLength(1);

        await fillCheckout(page, DETAILS);
        await placeOrder(page);

        // Step 4 on the origin (the cookie is first-party there): what would be ordered and where
        // it would go, and a button. Nothing is placed until it is pressed.
        await landOn(page, (url) => url.origin === origin && url.pathname === paths.placeOrder);
        expect(await page.locator('h1').innerText()).toBe('Confirm your order');
        expect(await page.locator('.order-line').allInnerTexts()).toEqual([
          expect.stringMatching(/^1 × Superclip Natural soy, pack of 100\s+\$12\.00$/),
        ]);
        expect(await address(page)).toBe('Ana Lima 12 Rue des Trombones 69001 Lyon France');
        expect(await badge(page)).toBe('Cart 1 items');
        expect(orderCount()).toBe(ordersBefore);
        expect(await servers.shop.carts.get(sessionId)).toEqual([
          { sku: 'SC-NAT-100', quantity: 1 },
        ]);
        // Cancel is a plain link back to the cart (not followed here).
        expect(await page.getByRole('link', { name: 'Cancel' }).getAttribute('href')).toBe(
          paths.cart,
        );

        // Step 5: "Place order" posts from the origin page; the answer sends it to the order.
        await placeOrder(page);
        await landOn(page, (url) => url.origin === origin && url.pathname.startsWith('/orders/'));

        // The confirmation page on the origin, for this shopper's session and cart.
        const confirmation = page.url();
        const orderNumber = decodeURIComponent(new URL(confirmation).pathname.split('/')[2]);
        expect(await page.locator('h1').innerText()).toBe('Thank you, Ana Lima!');
        expect(await page.locator('.order-number').innerText()).toBe(orderNumber);
        expect(await page.locator('.order-line').allInnerTexts()).toEqual([
          expect.stringMatching(/^1 × Superclip Natural soy, pack of 100\s+\$12\.00$/),
        ]);
        expect(await badge(page)).toBe('Cart 0 items');
        expect(orderCount()).toBe(ordersBefore + 1);
        expect(await servers.shop.orders.find(sessionId, orderNumber)).toMatchObject({
          customer: { name: 'Ana Lima', email: 'ana.lima@example.com', postcode: '69001' },
        });
        expect(await servers.shop.carts.get(sessionId)).toEqual([]);

        // The cache page posted (its own origin as the source origin); the one top-level hop
        // through the place-order link carried no personal data; the origin page posted the id.
        for (const post of browser.requestsTo(origin, paths.checkoutApi)) {
          expect(post.method).toBe('POST');
          expect(post.url.searchParams.get('__amp_source_origin')).toBe(servers.cacheUrl);
        }
        const hops = browser.requestsTo(origin, paths.placeOrder);
        expect(hops).toHaveLength(1);
        expect(hops[0]).toMatchObject({ method: 'GET', navigation: true });
        expect([...hops[0].url.searchParams.keys()]).toEqual(['pending', 'exp', 'sig']);
        for (const value of Object.values(DETAILS)) {
          expect(decodeURIComponent(hops[0].url.href)).not.toContain(value);
        }
        const confirms = browser.requestsTo(origin, paths.placeOrderApi);
        expect(confirms).toHaveLength(1);
        expect(confirms[0]).toMatchObject({ method: 'POST', navigation: false });
        expect(confirms[0].url.searchParams.get('__amp_source_origin')).toBe(origin);

        // Reload, back and forward: the same order, never another. Going back to the used link
        // shows the order it placed (the server answers it with a redirect to the order).
        await page.reload();
        expect(page.url()).toBe(confirmation);
        await page.goBack();
        expect(page.url()).toBe(confirmation);
        await page.goBack();
        expect(page.url()).toBe(cacheCheckout);
        await page.goForward();
        expect(page.url()).toBe(confirmation);
        expect(await page.locator('.order-number').innerText()).toBe(orderNumber);
        expect(orderCount()).toBe(ordersBefore + 1);
        expect(browser.requestsTo(origin, paths.placeOrderApi)).toHaveLength(1);
        expect(browser.requestsTo(origin, paths.checkoutApi)).toHaveLength(2);
      },
    );
  });

  it('j. cache, third-party cookies blocked: the contact form answers on the page, no cookie needed', async () => {
    await runScenario(
      'j-cache-blocked-contact',
      { thirdPartyCookies: 'block' },
      async (browser) => {
        const { page } = browser;
        const cacheContact = servers.cachePageUrl(paths.contact);
        await visit(page, cacheContact);
        const sessionsBefore = servers.shop.memory!.sessions.size;
        await page.getByLabel('Name').fill('Ana Lima');
        await page.getByLabel('Email').fill('ana.lima@example.com');
        await page.getByLabel('Message').fill('Do the clips come in green?\nThanks!');
        await page.getByRole('button', { name: 'Send message' }).click();

        const form = `form[action-xhr$="${paths.contactApi}"]`;
        expect(await successMessage(page, form)).toBe(
          'Thank you, Ana Lima. We got your message and will answer by email soon.',
        );
        expect(page.url()).toBe(cacheContact);
        expect((await servers.shop.messages.list()).at(-1)).toMatchObject({
          email: 'ana.lima@example.com',
          message: 'Do the clips come in green?\nThanks!',
        });
        expect(servers.shop.memory!.sessions.size).toBe(sessionsBefore);
        expect(await browser.sessionId(origin)).toBeUndefined();
      },
    );
  });
});

/** How many orders the shop keeps (the servers run without REDIS_URL: in memory). */
function orderCount(): number {
  return servers.shop.memory!.orders.size;
}

/** The "Shipping to" address, on one line. */
async function address(page: Page): Promise<string> {
  return (await page.locator('address').innerText()).replace(/\s+/g, ' ').trim();
}

/** What the header's cart badge shows once its amp-list has rendered the shop's answer. */
async function badge(page: Page): Promise<string> {
  const rendered = page.locator('#cart-badge > [role=list]');
  await rendered.waitFor({ state: 'attached' });
  return (await rendered.innerText()).replace(/\s+/g, ' ').trim();
}

async function fillCheckout(page: Page, details: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(details)) await page.getByLabel(label).fill(value);
}

async function placeOrder(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Place order' }).click();
}
