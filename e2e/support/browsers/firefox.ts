// Firefox (Debian's firefox-esr, or FIREFOX_PATH) driven by puppeteer-core over WebDriver BiDi.
// The cookie setting is Firefox's own preference, network.cookie.cookieBehavior.
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import type { Driver, LaunchOptions } from '../driver';
import type { CookiePolicy } from '../engines';
import { pageActions } from './page-actions';

/** network.cookie.cookieBehavior: 0 accept all, 1 reject third-party, 2 reject all. */
const COOKIE_BEHAVIOR: Record<Exclude<CookiePolicy, 'default'>, number> = {
  'allow-third-party': 0,
  'block-third-party': 1,
  'block-all': 2,
};

export async function launchFirefox({ policy, proxyUrl }: LaunchOptions): Promise<Driver> {
  const executablePath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Firefox at ${executablePath}. Install Debian's (apt-get install -y firefox-esr) ` +
        'or point FIREFOX_PATH at a Firefox binary.',
    );
  }
  const proxy = new URL(proxyUrl);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    acceptInsecureCerts: true,
    defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: {
      'network.proxy.type': 1, // manual
      'network.proxy.ssl': proxy.hostname,
      'network.proxy.ssl_port': Number(proxy.port),
      'network.proxy.http': proxy.hostname,
      'network.proxy.http_port': Number(proxy.port),
      'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
      ...(policy !== 'default' && { 'network.cookie.cookieBehavior': COOKIE_BEHAVIOR[policy] }),
    },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  return {
    engine: 'firefox',
    ...pageActions(page),
    // puppeteer's goBack/goForward wait for a load event that a page restored from Firefox's
    // back-forward cache never fires; `landOn` waits for the page instead.
    back: async () => {
      await page.evaluate('history.back()');
    },
    forward: async () => {
      await page.evaluate('history.forward()');
    },
    cookies: async () => page.cookies(),
    screenshot: async (file) => {
      await page.screenshot({ path: file as `${string}.png`, fullPage: true });
    },
    close: () => browser.close(),
  };
}
