// Starts the engine a scenario runs in.
import type { Driver, LaunchOptions } from './driver';
import type { Engine } from './engines';
import { launchChromium } from './browsers/chromium';
import { launchFirefox } from './browsers/firefox';
import { launchWebKit } from './browsers/webkit';

const LAUNCHERS: Record<Engine, (options: LaunchOptions) => Promise<Driver>> = {
  chromium: launchChromium,
  firefox: launchFirefox,
  webkit: launchWebKit,
};

/**
 * Whether a scenario can press Back to a page on another site. WebKitWebDriver cannot: after Back
 * from the origin to the cache page its session answers no further command (measured with
 * WebKitGTK 2.50, page cache on or off; docs/testing.md).
 */
export const BACK_ACROSS_SITES: Record<Engine, boolean> = {
  chromium: true,
  firefox: true,
  webkit: false,
};

export function launch(engine: Engine, options: LaunchOptions): Promise<Driver> {
  return LAUNCHERS[engine](options);
}

/** For a test name: " and back", or why Back is not pressed in this engine. */
export function backOrWhyNot(engine: Engine): string {
  return BACK_ACROSS_SITES[engine] ? ' and back' : ' (Back not pressed: WebKitWebDriver hangs)';
}
