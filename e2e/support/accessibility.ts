// Accessibility checks with axe-core, run inside the page in every engine. Each checked page is
// written to a report (all violations, every impact) kept with the screenshots; the scenario fails
// on any of them.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Driver } from './driver';
import type { Engine } from './engines';
import { resultFile } from './scenario';

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export interface PageReport {
  page: string;
  url: string;
  violations: Violation[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe (its source defines `axe` in the page) on the whole document, WCAG 2.x A and AA rules.
const RUN_AXE = `async () => {
  ${AXE_SOURCE}
  const results = await axe.run(document, {
    runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}`;

/** Checks the page the browser shows, names it in the report and takes its screenshot. */
export async function checkAccessibility(
  driver: Driver,
  engine: Engine,
  page: string,
  reports: PageReport[],
): Promise<void> {
  const violations = await driver.run<Violation[]>(RUN_AXE);
  reports.push({ page, url: await driver.url(), violations });
  await driver.screenshot(resultFile(engine, `accessibility-${page}`, 'png'));
}

/** Writes the report and returns every violation, by page. */
export function keepReport(engine: Engine, reports: PageReport[]): string[] {
  writeFileSync(resultFile(engine, 'accessibility', 'json'), JSON.stringify(reports, null, 2));
  return reports.flatMap(({ page, violations }) =>
    violations.map((v) => `${page}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`),
  );
}
