// Checkout and contact in real browsers (every engine E2E_BROWSERS picks), from the local AMP cache
// (another site) with third-party cookies BLOCKED: the redirect leads to the origin, which shows
// what would be ordered; the order is placed there, exactly once, when the shopper presses "Place
// order", and lands on the origin's confirmation page. The cart badge is checked as its amp-list shows it (the runtime double's
// amp-list, with the engine's own cookie rules).
import { paths } from '../server/paths';
import type { Driver } from './support/driver';
import { selectedEngines } from './support/engines';
import { BACK_ACROSS_SITES, backOrWhyNot } from './support/launch';
import { runScenario } from './support/scenario';
import { serversForThisFile, type ServersUnderTest } from './support/servers';
import {
  CHECKOUT_DETAILS,
  addFromProductPage,
  fillCheckout,
  click,
  fillIn,
  formMessage,
  labelled,
  landOn,
  sessionOf,
  text,
  texts,
  visit,
  waitUntil,
} from './support/steps';

jest.setTimeout(90_000);

const SUPERCLIP = paths.product('superclip');
const CHECKOUT_FORM = `form[action-xhr$="${paths.checkoutApi}"]`;
const DETAILS = CHECKOUT_DETAILS;

const running = serversForThisFile();

describe.each(selectedEngines())('checkout and contact from the AMP cache in %s', (engine) => {
  let servers: ServersUnderTest;
  let origin: string;
  beforeAll(() => {
    servers = running();
    origin = servers.originUrl;
  });

  it(`cache, third-party cookies blocked: one order, placed on the origin, confirmation shown; reload${backOrWhyNot(engine)} place no other`, async () => {
    await runScenario(
      engine,
      servers,
      'cache-blocked-checkout',
      'block-third-party',
      async (page) => {
        // On the shop's own site: add to cart; the cart page's badge shows the count it rendered.
        await addFromProductPage(page, origin + SUPERCLIP);
        const sessionId = await sessionOf(page, origin);
        await visit(page, origin + paths.cart);
        expect(await badge(page)).toBe('Cart 1 items');
        expect(await texts(page, 'a[href$="/checkout"]')).toContain('Checkout');

        // The cache's copy of the checkout page was fetched without any cookie: no count, no cart,
        // but the form.
        const cacheCheckout = servers.cachePageUrl(paths.checkout);
        await visit(page, cacheCheckout);
        expect(await badge(page)).toBe('Cart');
        const ordersBefore = orderCount();

        // The browser checks the rules first: a malformed email is never sent.
        await fillCheckout(page, { ...DETAILS, Email: 'not-an-email' });
        await placeOrder(page);
        const email = await labelled(page, 'Email');
        expect(await page.run(String(isValid), email)).toBe(false);
        // The server checks them again, and names the field in a sentence.
        await fillCheckout(page, { ...DETAILS, Postcode: '69#01' });
        await placeOrder(page);
        expect(await formMessage(page, CHECKOUT_FORM, 'submit-error')).toContain(
          'Your postcode can only have letters, digits, spaces and dashes.',
        );
        expect(servers.requestsTo(paths.checkoutApi)).toHaveLength(1);

        await fillCheckout(page, DETAILS);
        await placeOrder(page);

        // Step 4 on the origin (the cookie is first-party there): what would be ordered and where
        // it would go, and a button. Nothing is placed until it is pressed.
        await landOn(page, (url) => url.origin === origin && url.pathname === paths.placeOrder);
        expect(await text(page, 'h1')).toBe('Confirm your order');
        expect(await texts(page, '.order-line')).toEqual([
          expect.stringMatching(/^1 × Superclip Natural soy, pack of 100\s+\$12\.00$/),
        ]);
        expect(await address(page)).toBe('Ana Lima 12 Rue des Trombones 69001 Lyon France');
        expect(await badge(page)).toBe('Cart 1 items');
        expect(orderCount()).toBe(ordersBefore);
        expect(await servers.shop.carts.get(sessionId)).toEqual([
          { sku: 'SC-NAT-100', quantity: 1 },
        ]);
        // Cancel is a plain link back to the cart (not followed here).
        expect(await page.run(String(hrefOf), 'Cancel')).toBe(paths.cart);

        // Step 5: "Place order" posts from the origin page; the answer sends it to the order.
        await placeOrder(page);
        await landOn(page, (url) => url.origin === origin && url.pathname.startsWith('/orders/'));

        // The confirmation page on the origin, for this shopper's session and cart.
        const confirmation = await page.url();
        const orderNumber = decodeURIComponent(new URL(confirmation).pathname.split('/')[2]);
        expect(await text(page, 'h1')).toBe('Thank you, Ana Lima!');
        expect(await text(page, '.order-number')).toBe(orderNumber);
        expect(await texts(page, '.order-line')).toEqual([
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
        for (const post of servers.requestsTo(paths.checkoutApi)) {
          expect(post.method).toBe('POST');
          expect(post.url.searchParams.get('__amp_source_origin')).toBe(servers.cacheUrl);
        }
        const hops = servers.requestsTo(paths.placeOrder);
        expect(hops).toHaveLength(1);
        expect(hops[0]).toMatchObject({ method: 'GET', navigation: true });
        expect([...hops[0].url.searchParams.keys()]).toEqual(['pending', 'exp', 'sig']);
        for (const value of Object.values(DETAILS)) {
          expect(decodeURIComponent(hops[0].url.href)).not.toContain(value);
        }
        const confirms = servers.requestsTo(paths.placeOrderApi);
        expect(confirms).toHaveLength(1);
        expect(confirms[0]).toMatchObject({ method: 'POST', navigation: false });
        expect(confirms[0].url.searchParams.get('__amp_source_origin')).toBe(origin);

        // Reload, back and forward: the same order, never another. Going back to the used link
        // shows the order it placed (the server answers it with a redirect to the order).
        await page.reload();
        await landOn(page, confirmation);
        if (BACK_ACROSS_SITES[engine]) {
          await page.back();
          await landOn(page, confirmation);
          await page.back();
          await landOn(page, cacheCheckout);
          await page.forward();
          await landOn(page, confirmation);
        }
        expect(await text(page, '.order-number')).toBe(orderNumber);
        expect(orderCount()).toBe(ordersBefore + 1);
        expect(servers.requestsTo(paths.placeOrderApi)).toHaveLength(1);
        expect(servers.requestsTo(paths.checkoutApi)).toHaveLength(2);
      },
    );
  });

  /** How many orders the shop keeps (the servers run without REDIS_URL: in memory). */
  function orderCount(): number {
    return servers.shop.memory!.orders.size;
  }

  it('cache, third-party cookies blocked: the contact form answers on the page, no cookie needed', async () => {
    await runScenario(
      engine,
      servers,
      'cache-blocked-contact',
      'block-third-party',
      async (page) => {
        const cacheContact = servers.cachePageUrl(paths.contact);
        await visit(page, cacheContact);
        const sessionsBefore = servers.shop.memory!.sessions.size;
        await fillIn(page, 'Name', 'Ana Lima');
        await fillIn(page, 'Email', 'ana.lima@example.com');
        await fillIn(page, 'Message', 'Do the clips come in green?\nThanks!');
        await click(page, 'button', 'Send message');

        const form = `form[action-xhr$="${paths.contactApi}"]`;
        expect(await formMessage(page, form)).toBe(
          'Thank you, Ana Lima. We got your message and will answer by email soon.',
        );
        expect(await page.url()).toBe(cacheContact);
        expect((await servers.shop.messages.list()).at(-1)).toMatchObject({
          email: 'ana.lima@example.com',
          message: 'Do the clips come in green?\nThanks!',
        });
        expect(servers.shop.memory!.sessions.size).toBe(sessionsBefore);
        // The form's post carried no session cookie, and its answer set none.
        expect(servers.requestsTo(paths.contactApi)).toMatchObject([
          { method: 'POST', sessionSent: undefined, sessionSet: undefined },
        ]);
      },
    );
  });
});

/** The "Shipping to" address, on one line. */
function address(page: Driver): Promise<string> {
  return text(page, 'address');
}

/** What the header's cart badge shows once its amp-list has rendered the shop's answer. */
async function badge(page: Driver): Promise<string> {
  const rendered = '#cart-badge > [role=list]';
  await waitUntil(async () => (await texts(page, rendered)).length > 0, 'the cart badge');
  return text(page, rendered);
}

async function placeOrder(page: Driver): Promise<void> {
  await click(page, 'button', 'Place order');
}

/** In the page: whether a field's value passes the browser's own checks. */
function isValid(selector: string): boolean {
  return document.querySelector<HTMLInputElement>(selector)?.validity.valid ?? false;
}

/** In the page: the href attribute of the link with that text. */
function hrefOf(name: string): string | null {
  const link = [...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === name);
  return link?.getAttribute('href') ?? null;
}
