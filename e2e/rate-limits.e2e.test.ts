// The abuse limits as a person meets them in a browser: past the limit, amp-form shows the 429's
// sentence in its submit-error, and an over-used link shows a page that says to slow down.
import { paths } from '../server/paths';
import { TOO_MANY_TITLE } from '../server/rate-limits';
import type { RunningBestClips } from '../server/start';
import { startShopAndCache } from '../test/helpers/running';
import { launchBrowser, type TestBrowser } from './support/browser';
import { addToCart, successMessage, visit } from './support/steps';

jest.setTimeout(60_000);

let running: RunningBestClips;
let browser: TestBrowser;

beforeAll(async () => {
  running = await startShopAndCache('e2e-rate-limit-secret-0123', {
    RATE_LIMIT_POSTS: '2',
    RATE_LIMIT_LINKS: '2',
  });
  browser = await launchBrowser({ thirdPartyCookies: 'allow' });
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

it('the third "Add to cart" in a minute: the form says to wait, in words', async () => {
  const { page } = browser;
  const product = running.originUrl + paths.product('superclip');
  for (let i = 0; i < 2; i++) {
    await visit(page, product);
    await addToCart(page);
    expect(await successMessage(page, 'form.buy-form')).toMatch(/added/i);
  }
  await visit(page, product);
  await addToCart(page);
  expect(await successMessage(page, 'form.buy-form', 'submit-error')).toMatch(
    /^We got a lot of requests from you in a short time\. Please wait \d+ seconds? and try again\.$/,
  );
});

it('a link opened too often: a page that says to slow down', async () => {
  const { page } = browser;
  const link = `${running.originUrl}${paths.placeOrder}?pending=x`;
  for (let i = 0; i < 2; i++) {
    expect((await page.goto(link))?.status()).toBe(400); // not a valid link, but counted
  }
  const response = await page.goto(link);
  expect(response?.status()).toBe(429);
  expect(await page.locator('h1').innerText()).toBe(TOO_MANY_TITLE);
});
