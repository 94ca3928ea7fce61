// Chromium (Debian's, or CHROMIUM_PATH) under Playwright. The cookie setting goes into a fresh
// profile's Preferences file: Chromium has no command-line switch that does it.
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright';
import type { Driver, LaunchOptions } from '../driver';
import type { CookiePolicy } from '../engines';
import { pageActions } from './page-actions';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The profile preferences for a cookie setting (none for the default). */
export function preferencesFor(policy: CookiePolicy): object | undefined {
  if (policy === 'default') return undefined;
  const block = policy !== 'allow-third-party';
  return {
    profile: {
      cookie_controls_mode: block ? 1 : 0,
      block_third_party_cookies: block,
      ...(policy === 'block-all' && { default_content_setting_values: { cookies: 2 } }),
    },
  };
}

export async function launchChromium({ policy, proxyUrl }: LaunchOptions): Promise<Driver> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install Debian's (apt-get install -y chromium) ` +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'bestclips-chromium-'));
  const preferences = preferencesFor(policy);
  if (preferences) {
    await mkdir(path.join(userDataDir, 'Default'));
    await writeFile(path.join(userDataDir, 'Default', 'Preferences'), JSON.stringify(preferences));
  }
  // The proxy is a switch rather than Playwright's `proxy` option, which would send loopback
  // through it too; Chromium itself never proxies loopback.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...ARGS, `--proxy-server=${proxyUrl}`],
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    engine: 'chromium',
    ...pageActions(page),
    back: async () => {
      await page.goBack();
    },
    forward: async () => {
      await page.goForward();
    },
    cookies: async () => context.cookies(page.url()),
    screenshot: async (file) => {
      await page.screenshot({ path: file, fullPage: true });
    },
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
