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

export function launch(engine: Engine, options: LaunchOptions): Promise<Driver> {
  return LAUNCHERS[engine](options);
}
