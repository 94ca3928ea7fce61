// What a person does and sees in the browser scenarios, in one place for every scenario file.
import type { Page } from 'playwright';
import type { TestBrowser } from './browser';

/** Opens a page and checks the person can see it at once: pages are server-side rendered, and the
 * runtime double (unlike the real runtime) never lifts AMP's boilerplate hiding. Then waits for
 * the page's per-shopper parts. */
export async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const visibility = await page.evaluate(() => getComputedStyle(document.body).visibility);
  if (visibility !== 'visible')
    throw new Error(`${url} is hidden (${visibility}) until AMP loads.`);
  await perShopperPartsShown(page);
}

/**
 * What is one shopper's (the cart badge, a product's "in your cart" part) arrives through amp-list
 * requests made with credentials: waits until each list has rendered its answer or its fallback.
 */
export async function perShopperPartsShown(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('amp-list[src]')).every(
      (list) =>
        list.querySelector(':scope > [role=list]') !== null ||
        (list.querySelector(':scope > [fallback]') as HTMLElement | null)?.checkVisibility() ===
          true,
    ),
  );
}

/** Waits for the top window to arrive at `url`; if it does not, says where the person is instead. */
export async function landOn(page: Page, url: Parameters<Page['waitForURL']>[0]): Promise<void> {
  try {
    await page.waitForURL(url, { timeout: 10_000 });
  } catch {
    const shown = await page.locator('[submit-success], [submit-error]').allInnerTexts();
    const messages = shown.map((text) => text.trim()).filter(Boolean);
    throw new Error(
      `Expected the browser to land on ${url}, but it is still on ${page.url()}` +
        (messages.length > 0 ? `, showing: ${JSON.stringify(messages)}` : ''),
    );
  }
}

export async function addToCart(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add to cart' }).click();
}

/** Opens a product page and adds its preselected option; returns the form's success message. */
export async function addFromProductPage(page: Page, url: string): Promise<string> {
  await visit(page, url);
  await addToCart(page);
  return successMessage(page, 'form.buy-form');
}

/** The text of a form's [submit-success] (or [submit-error]) message once it is shown. */
export async function successMessage(
  page: Page,
  form: string,
  state: 'submit-success' | 'submit-error' = 'submit-success',
): Promise<string> {
  const message = page.locator(`${form} [${state}]`);
  await message.waitFor({ state: 'visible', timeout: 10_000 });
  return message.innerText();
}

/** The shopper's session id, from the origin's cookie in the browser's jar (it must be there). */
export async function sessionOf(browser: TestBrowser, origin: string): Promise<string> {
  const sessionId = await browser.sessionId(origin);
  if (!sessionId) throw new Error(`The browser holds no session cookie for ${origin}.`);
  return sessionId;
}
