// Starts the engine a scenario runs in.
import type { Driver, LaunchOptions } from './driver';
import type { Engine } from './engines';
import { launchChromium } from './engines/chromium';
import { launchFirefox } from './engines/firefox';
import { launchWebKit } from './engines/webkit';

const LAUNCHERS: Record<Engine, (options: LaunchOptions) => Promise<Driver>> = {
  chromium: launchChromium,
  firefox: launchFirefox,
  webkit: launchWebKit,
};

export function launch(engine: Engine, options: LaunchOptions): Promise<Driver> {
  return LAUNCHERS[engine](options);
}
