// One browser scenario in one engine: its own browser and profile with the scenario's cookie
// setting, and a screenshot of the final page named with the engine (kept whether it passed or not).
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from './driver';
import type { CookiePolicy, Engine } from './engines';
import { launch } from './launch';
import type { ServersUnderTest } from './servers';

/** A scenario's time limit, inside the test's (jest.setTimeout in the scenario files). */
const SCENARIO_TIMEOUT_MS = 60_000;

export const RESULTS_DIR = path.join(__dirname, '..', '..', 'test-results', 'e2e');

/** `test-results/e2e/<engine>-<name>.<ext>`. */
export function resultFile(engine: Engine, name: string, ext: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return path.join(RESULTS_DIR, `${engine}-${name}.${ext}`);
}

export async function runScenario(
  engine: Engine,
  servers: ServersUnderTest,
  name: string,
  policy: CookiePolicy,
  body: (driver: Driver) => Promise<void>,
): Promise<void> {
  const driver = await launch(engine, { policy, proxyUrl: servers.cdn.proxyUrl });
  let timer: NodeJS.Timeout | undefined;
  try {
    // Fail before jest's own timeout, so the browser is still closed below.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${engine}: ${name} took over ${SCENARIO_TIMEOUT_MS / 1000} s.`)),
        SCENARIO_TIMEOUT_MS,
      );
    });
    await Promise.race([body(driver), timeout]);
  } finally {
    clearTimeout(timer);
    const screenshot = driver.screenshot(resultFile(engine, name, 'png'));
    await Promise.race([screenshot, sleep(5_000, undefined, { ref: false })]).catch(
      () => undefined,
    );
    await driver.close();
  }
}
