// Chromium with an explicit cookie policy, a recorded request log and the AMP CDN served locally.
// The policy goes into a fresh profile's Preferences file (the recipe measured in
// ../shared/docs/browser-testing.md) so no test depends on the browser's default.
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { SESSION_COOKIE } from '../../server/flow/1-session-cookie';
import { ampCdnHandler } from './amp-cdn';

export interface CookiePolicy {
  thirdPartyCookies: 'allow' | 'block';
  /** Block every cookie, first-party included (the content setting "Don't allow sites to save data"). */
  allCookies?: 'block';
}

export interface RecordedRequest {
  method: string;
  url: URL;
  navigation: boolean;
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Every request the browser made, in order (loopback only: nothing else is let out). */
  requests: RecordedRequest[];
  /** Requests to one path on one origin, e.g. `requestsTo(originUrl, '/cart/apply')`. */
  requestsTo(origin: string, pathname: string): RecordedRequest[];
  /** The shopper's session id, read from the origin's session cookie in the browser's jar. */
  sessionId(originUrl: string): Promise<string | undefined>;
  close(): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function preferencesFor(policy: CookiePolicy): object {
  const block = policy.thirdPartyCookies === 'block';
  return {
    profile: {
      cookie_controls_mode: block ? 1 : 0,
      block_third_party_cookies: block,
      ...(policy.allCookies === 'block' && { default_content_setting_values: { cookies: 2 } }),
    },
  };
}

export async function launchBrowser(policy: CookiePolicy): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'bestclips-e2e-'));
  await mkdir(path.join(userDataDir, 'Default'));
  await writeFile(
    path.join(userDataDir, 'Default', 'Preferences'),
    JSON.stringify(preferencesFor(policy)),
  );
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install Debian's (apt-get install -y chromium) ` +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });

  const requests: RecordedRequest[] = [];
  const escaped: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (isLoopback(url)) {
      requests.push({ method: request.method(), url, navigation: request.isNavigationRequest() });
    }
  });
  await context.route('https://cdn.ampproject.org/**', ampCdnHandler());
  // Anything else off the machine is refused (and reported when the browser closes).
  await context.route(
    (url) => !isLoopback(url) && url.hostname !== 'cdn.ampproject.org',
    (route) => {
      escaped.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );

  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    requests,
    requestsTo: (origin, pathname) =>
      requests.filter((r) => r.url.origin === origin && r.url.pathname === pathname),
    sessionId: async (originUrl) => {
      const cookie = (await context.cookies(originUrl)).find((c) => c.name === SESSION_COOKIE);
      return cookie && sessionIdOf(cookie.value);
    },
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
      if (escaped.length > 0) throw new Error(`Requests left the machine: ${escaped.join(', ')}`);
    },
  };
}

/** express-session's cookie value: `s:<sessionId>.<signature>`, URL-encoded. */
export function sessionIdOf(cookieValue: string): string {
  const signed = decodeURIComponent(cookieValue);
  return signed.slice(2, signed.lastIndexOf('.'));
}

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
