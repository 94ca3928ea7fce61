// WebKit: Debian's WebKitGTK MiniBrowser through WebKitWebDriver (or WEBKIT_DRIVER_PATH) and a
// classic WebDriver client, selenium-webdriver (WebKitWebDriver speaks no BiDi). MiniBrowser needs a display: without
// DISPLAY the driver runs under `xvfb-run -a`. It reaches the AMP CDN through the proxy named in
// https_proxy, which GLib's proxy resolver reads (the driver's proxy capability cannot do https
// through a plain proxy: docs/testing.md).
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import { freePort } from '../../../test/helpers/ports';
import type { Driver, LaunchOptions } from '../driver';
import type { CookiePolicy } from '../engines';

/** MiniBrowser's switches for each setting (its default is `--cookies-policy=no-third-party`). */
const POLICY_ARGS: Record<CookiePolicy, string[]> = {
  default: [],
  'allow-third-party': ['--cookies-policy=always'],
  'block-third-party': ['--enable-itp'],
  'block-all': ['--cookies-policy=never'],
};
const START_TIMEOUT_MS = 20_000;
const QUIT_TIMEOUT_MS = 5_000;

export async function launchWebKit({ policy, proxyUrl }: LaunchOptions): Promise<Driver> {
  const home = await mkdtemp(path.join(tmpdir(), 'bestclips-webkit-'));
  const port = await freePort();
  const driver = startDriver(port, home, proxyUrl);
  let client: WebDriver;
  try {
    await waitUntilReady(driver, port);
    client = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: 'MiniBrowser',
        acceptInsecureCerts: true,
        // Once `args` is given, --automation must be in it (else the session never starts).
        'webkitgtk:browserOptions': { args: ['--automation', ...POLICY_ARGS[policy]] },
      })
      .build();
    await client.manage().window().setRect({ width: 1280, height: 900 });
    await client.manage().setTimeouts({ pageLoad: 30_000, script: 30_000 });
  } catch (error) {
    await stopDriver(driver, home);
    throw error;
  }

  return {
    engine: 'webkit',
    goto: (url) => client.get(url),
    url: () => client.getCurrentUrl(),
    reload: () => client.navigate().refresh(),
    back: () => client.navigate().back(),
    forward: () => client.navigate().forward(),
    run: (fn, arg) => client.executeScript(`return (${fn})(arguments[0])`, arg ?? null),
    click: (selector) => client.findElement(By.css(selector)).click(),
    cookies: () => client.manage().getCookies(),
    screenshot: async (file) => writeFile(file, await client.takeScreenshot(), 'base64'),
    close: async () => {
      // A session stuck on a command would never quit: give it a few seconds, then end it.
      await Promise.race([client.quit(), sleep(QUIT_TIMEOUT_MS, undefined, { ref: false })]).catch(
        () => undefined,
      );
      await stopDriver(driver, home);
    },
  };
}

function startDriver(port: number, home: string, proxyUrl: string): ChildProcess {
  const driver = [
    process.env.WEBKIT_DRIVER_PATH ?? 'WebKitWebDriver',
    `--port=${port}`,
    '--host=127.0.0.1',
  ];
  // `-a` looks for a free display from `-n` on; starting from the driver's own (free) port keeps
  // drivers started at the same moment from racing for one display.
  const command = process.env.DISPLAY
    ? driver
    : ['xvfb-run', '-a', '-n', String(port), '-s', '-screen 0 1280x1024x24', ...driver];
  return spawn(command[0], command.slice(1), {
    // Its own process group, so closing ends xvfb-run, Xvfb, the driver and MiniBrowser together.
    detached: true,
    stdio: 'ignore',
    env: {
      ...process.env,
      // MiniBrowser writes an HSTS store and caches under HOME / XDG_*: keep them per session.
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_DATA_HOME: path.join(home, 'data'),
      https_proxy: proxyUrl,
      http_proxy: proxyUrl,
      no_proxy: 'localhost,127.0.0.1',
    },
  });
}

async function waitUntilReady(driver: ChildProcess, port: number): Promise<void> {
  let exit: string | undefined;
  driver.once('error', (error) => (exit = error.message));
  driver.once('exit', (code) => (exit ??= `exited with code ${code}`));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `WebKitWebDriver did not start (${exit}). Install Debian's webkit2gtk-driver, xvfb and ` +
          'xauth, or point WEBKIT_DRIVER_PATH at a WebKitWebDriver.',
      );
    }
    const ready = await fetch(`http://127.0.0.1:${port}/status`)
      .then((res) => res.ok)
      .catch(() => false);
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`WebKitWebDriver was not ready within ${START_TIMEOUT_MS / 1000} s.`);
}

/** Ends the driver's process group: xvfb-run, Xvfb, WebKitWebDriver, MiniBrowser and its helpers. */
async function stopDriver(driver: ChildProcess, home: string): Promise<void> {
  if (driver.pid && driver.exitCode === null && driver.signalCode === null) {
    const exited = once(driver, 'exit');
    process.kill(-driver.pid, 'SIGTERM');
    await Promise.race([exited, sleep(QUIT_TIMEOUT_MS, undefined, { ref: false })]);
    try {
      process.kill(-driver.pid, 'SIGKILL'); // whatever ignored SIGTERM
    } catch {
      // the group is gone
    }
  }
  await rm(home, { recursive: true, force: true });
}
