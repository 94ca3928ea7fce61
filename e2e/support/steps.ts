// What a person does and sees in the browser scenarios, in one place for every scenario file and
// every engine: each step goes through the Driver and the in-page functions, never an engine's API.
import { setTimeout as sleep } from 'node:timers/promises';
import { sessionCookieName } from '../../server/flow/1-session-cookie';
import { CUSTOMER } from '../../test/helpers/customer';
import type { Driver } from './driver';
import {
  ampListsSettled,
  fieldValues,
  markByLabel,
  markByRole,
  pageState,
  setField,
  textContents,
  visibleTexts,
  type Name,
} from './in-page';
import { sessionIdOf } from './servers';

const WAIT_MS = 10_000;

/** Opens a page and checks the person can see it at once: pages are server-side rendered, and the
 * runtime double (unlike the real runtime) never lifts AMP's boilerplate hiding. Then waits for
 * the page's per-shopper parts. */
export async function visit(driver: Driver, url: string): Promise<void> {
  await driver.goto(url);
  const { bodyVisibility } = await driver.run<ReturnType<typeof pageState>>(String(pageState));
  if (bodyVisibility !== 'visible') {
    throw new Error(`${url} is hidden (${bodyVisibility}) until AMP loads.`);
  }
  await perShopperPartsShown(driver);
}

/**
 * What is one shopper's (the cart badge, a product's "in your cart" part) arrives through amp-list
 * requests made with credentials: waits until each list has rendered its answer or its fallback.
 */
export async function perShopperPartsShown(driver: Driver): Promise<void> {
  await waitUntil(
    () => driver.run<boolean>(String(ampListsSettled)),
    `the per-shopper parts of ${await driver.url()}`,
  );
}

/** Waits for the top window to arrive, loaded, at `url`; if it does not, says where it is. */
export async function landOn(driver: Driver, url: string | ((url: URL) => boolean)): Promise<void> {
  const arrived = typeof url === 'string' ? (at: URL) => at.href === url : url;
  const deadline = Date.now() + WAIT_MS;
  let state: ReturnType<typeof pageState> | undefined;
  while (Date.now() < deadline) {
    state = await driver
      .run<ReturnType<typeof pageState>>(String(pageState))
      .catch(() => undefined); // between two documents
    if (state?.complete && arrived(new URL(state.url))) return;
    await sleep(100);
  }
  const messages = await texts(driver, '[submit-success], [submit-error]').catch(() => []);
  throw new Error(
    `Expected the browser to land on ${typeof url === 'string' ? url : 'the expected page'}, ` +
      `but it is still on ${state?.url ?? (await driver.url())}` +
      (messages.some(Boolean) ? `, showing: ${JSON.stringify(messages.filter(Boolean))}` : ''),
  );
}

/** Clicks the visible button (or link) with that accessible name. */
export async function click(
  driver: Driver,
  role: 'button' | 'link',
  name: string | RegExp,
  within?: string,
): Promise<void> {
  const selector = await driver.run<string | null>(String(markByRole), {
    role,
    name: nameArg(name),
    within,
  });
  if (!selector) throw new Error(`No visible ${role} named ${name} on ${await driver.url()}.`);
  await driver.click(selector);
}

/** Whether the page shows a button or link with that accessible name. */
export async function shows(
  driver: Driver,
  role: 'button' | 'link',
  name: string | RegExp,
): Promise<boolean> {
  return (await driver.run(String(markByRole), { role, name: nameArg(name) })) !== null;
}

/** Types into the field a label names. */
export async function fillIn(driver: Driver, label: string, value: string): Promise<void> {
  await set(driver, await labelled(driver, label), value);
}

/** The CSS selector of the field a label names (it must exist). */
export async function labelled(driver: Driver, label: string): Promise<string> {
  const selector = await driver.run<string | null>(String(markByLabel), { label });
  if (!selector) throw new Error(`No field labelled "${label}" on ${await driver.url()}.`);
  return selector;
}

/** The checkout form's fields, by label, as a shopper fills them in. */
export const CHECKOUT_DETAILS: Record<string, string> = {
  Name: CUSTOMER.name,
  Email: CUSTOMER.email,
  'Street address': CUSTOMER.street,
  'Town or city': CUSTOMER.city,
  Postcode: CUSTOMER.postcode,
  Country: CUSTOMER.country,
};

/** Fills in the checkout form (every field a label names). */
export async function fillCheckout(driver: Driver, details = CHECKOUT_DETAILS): Promise<void> {
  for (const [label, value] of Object.entries(details)) await fillIn(driver, label, value);
}

/** Chooses an option, types a value, or (`true`) checks a box, in the field a selector names. */
export async function set(driver: Driver, selector: string, value: string | true): Promise<void> {
  const problem = await driver.run<string | null>(String(setField), { selector, value });
  if (problem) throw new Error(problem);
}

export function texts(driver: Driver, selector: string): Promise<string[]> {
  return driver.run(String(visibleTexts), { selector });
}

/** The text of the first visible element matching a selector (there must be one). */
export async function text(driver: Driver, selector: string): Promise<string> {
  const [first] = await texts(driver, selector);
  if (first === undefined) throw new Error(`Nothing visible matches ${selector}.`);
  return first;
}

/** The text of every element matching a selector, as written in the page (see `textContents`). */
export function contents(driver: Driver, selector: string): Promise<string[]> {
  return driver.run(String(textContents), { selector });
}

export function values(driver: Driver, selector: string): Promise<string[]> {
  return driver.run(String(fieldValues), { selector });
}

export async function addToCart(driver: Driver): Promise<void> {
  await click(driver, 'button', 'Add to cart');
}

/** Opens a product page and adds its preselected option; returns the form's success message. */
export async function addFromProductPage(driver: Driver, url: string): Promise<string> {
  await visit(driver, url);
  await addToCart(driver);
  return formMessage(driver, 'form.buy-form');
}

/** The text of a form's [submit-success] (or [submit-error]) message once it is shown. */
export async function formMessage(
  driver: Driver,
  form: string,
  state: 'submit-success' | 'submit-error' = 'submit-success',
): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const [shown] = await texts(driver, `${form} [${state}]`);
    if (shown) return shown;
    await sleep(100);
  }
  throw new Error(`${form} showed no ${state} message on ${await driver.url()}.`);
}

/** The shopper's session id, from the origin's cookie in the browser's jar, read on an origin page. */
export async function sessionInJar(driver: Driver, origin: string): Promise<string | undefined> {
  const at = await driver.url();
  if (new URL(at).origin !== origin) throw new Error(`Read the origin's cookie on ${at}?`);
  const name = sessionCookieName(origin); // `__Host-bestclips.sid` on an HTTPS origin
  const cookie = (await driver.cookies()).find((c) => c.name === name);
  return cookie && sessionIdOf(cookie.value);
}

/** The same, when the browser must hold one. */
export async function sessionOf(driver: Driver, origin: string): Promise<string> {
  const sessionId = await sessionInJar(driver, origin);
  if (!sessionId) throw new Error(`The browser holds no session cookie for ${origin}.`);
  return sessionId;
}

/** What the cart page shows: each line's product name and chosen quantity. */
export async function cartLines(driver: Driver): Promise<{ name: string; quantity: string }[]> {
  const names = await texts(driver, '.cart-line .cart-line-name');
  const quantities = await values(driver, '.cart-line select[name="quantity"]');
  return names.map((name, i) => ({ name, quantity: quantities[i] }));
}

function nameArg(name: string | RegExp): Name {
  return typeof name === 'string' ? name : { source: name.source, flags: name.flags };
}

/** Waits until `condition` holds (e.g. the server got a request); says what it waited for. */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Waited ${WAIT_MS / 1000} s for ${what}.`);
    await sleep(50);
  }
}

/** Waits until an in-page `condition` holds (e.g. a part of the page showed); says what it waited for. */
export async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Waited ${WAIT_MS / 1000} s for ${what}.`);
    await sleep(50);
  }
}
