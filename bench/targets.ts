// Issue 9 §2: the targets, judged on figures from the same run. 1 KB = 1,000 bytes here.
import type { PageWeight } from './page-weights';
import type { RssResult } from './rss';
import type { StartupResult } from './startup';

/** Minimum throughput as a fraction of the bare-Express baseline, per scenario. */
export const THROUGHPUT_TARGETS: Record<string, number> = {
  product: 0.9,
  'product-new': 0.9,
  listing: 0.9,
  cart: 0.5,
  'add-cookie': 0.5,
  'add-redirect': 0.5,
};

export const FLOW_P50_MAX_MS = 5;
export const RSS_PER_SESSION_MAX_BYTES = 1_500;
export const STARTUP_MAX_MS = 1_000;
export const PRODUCT_HTML_MAX_BYTES = 25_000;

export interface TargetCheck {
  target: string;
  actual: string;
  pass: boolean;
}

export interface ScenarioFigures {
  name: string;
  label: string;
  vsBare: number;
  flowServerP50Ms?: number;
}

export function checkTargets(
  scenarios: ScenarioFigures[],
  startup: StartupResult | undefined,
  rss: RssResult | undefined,
  weights: PageWeight[] | undefined,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const scenario of scenarios) {
    const min = THROUGHPUT_TARGETS[scenario.name];
    if (min !== undefined) {
      checks.push({
        target: `${scenario.label}: ≥ ${min}× bare Express req/s`,
        actual: `${scenario.vsBare.toFixed(2)}×`,
        pass: scenario.vsBare >= min,
      });
    }
    if (scenario.flowServerP50Ms !== undefined) {
      checks.push({
        target: `${scenario.label}: server time p50 ≤ ${FLOW_P50_MAX_MS} ms`,
        actual: `${scenario.flowServerP50Ms.toFixed(2)} ms`,
        pass: scenario.flowServerP50Ms <= FLOW_P50_MAX_MS,
      });
    }
  }
  const atMost = (target: string, value: number | undefined, max: number, unit: string) =>
    checks.push({
      target: `${target} ≤ ${max} ${unit}`,
      actual: value === undefined ? 'not measured' : `${Math.round(value)} ${unit}`,
      pass: value !== undefined && value <= max,
    });
  atMost('RSS per session (3-line cart)', rss?.rssBytesPerSession, RSS_PER_SESSION_MAX_BYTES, 'B');
  atMost('start-up to first 200', startup?.medianMs, STARTUP_MAX_MS, 'ms');
  const product = weights?.find((weight) => weight.page === 'product');
  atMost('product page HTML', product?.htmlBytes, PRODUCT_HTML_MAX_BYTES, 'B');
  return checks;
}
