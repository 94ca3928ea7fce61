// One browser scenario: its own browser and profile, a screenshot of the final page, and a
// Playwright trace kept only when the scenario failed (open with `npx playwright show-trace`).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, type CookiePolicy, type TestBrowser } from './browser';

export const RESULTS_DIR = path.join(__dirname, '..', '..', 'test-results', 'e2e');

export async function runScenario(
  name: string,
  policy: CookiePolicy,
  body: (browser: TestBrowser) => Promise<void>,
): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const trace = path.join(RESULTS_DIR, `${name}.trace.zip`);
  rmSync(trace, { force: true }); // a trace from an earlier failed run would mislead
  const browser = await launchBrowser(policy);
  await browser.context.tracing.start({ screenshots: true, snapshots: true });
  let failed = true;
  try {
    await body(browser);
    failed = false;
  } finally {
    await browser.page
      .screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true })
      .catch(() => undefined);
    await browser.context.tracing.stop(failed ? { path: trace } : {});
    await browser.close();
  }
}
