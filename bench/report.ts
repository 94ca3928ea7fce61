// The bench's targets, judged on figures from the same run; its output, a text table for people
// and JSON for comparing runs over time. 1 KB = 1,000 bytes here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load';
import type { PageWeight, RssResult, StartupResult } from './measures';
import type { ProfileSummary } from './profile';
import type { Scenario } from './scenarios';
import { PROJECT_DIR, type Percentiles } from './support';

export const PAGE_BROTLI_MAX_BYTES = 10_000;
export const RSS_PER_SESSION_MAX_BYTES = 1_500;
export const STARTUP_MAX_MS = 1_000;

export interface ScenarioResult {
  name: string;
  label: string;
  server: string;
  load: LoadResult;
  /** Server time per request on the server under test, ms. */
  serverTime: Percentiles;
  timer: { requests: Percentiles; flows: Percentiles };
  /** Sessions the store gained per request answered. */
  storeEntriesPerRequest: number;
  serverCpuPercent: number;
  clientCpuPercent: number;
  /** Bare Express answering the same captured response: req/s and server time p50. */
  bare?: number;
  bareServerP50?: number;
  scenario: Scenario;
}

export interface TargetCheck {
  target: string;
  actual: string;
  pass: boolean;
  /** The scenario whose target it is (profiled when missed). */
  scenario?: string;
}

export interface BenchReport {
  date: string;
  /** The commit measured, `+dirty` when the work tree had changes. */
  tree: string;
  machine: ReturnType<typeof machine>;
  settings: Record<string, unknown>;
  scenarios: ScenarioResult[];
  /** Each is missing when its phase failed (see `failures`). */
  startup?: StartupResult[];
  rssPerSession?: RssResult;
  pageWeights?: PageWeight[];
  targets: TargetCheck[];
  failures: { phase: string; error: string }[];
  profiles: Record<string, ProfileSummary>;
}

export function checkTargets(
  scenarios: ScenarioResult[],
  startup: StartupResult[] | undefined,
  rss: RssResult | undefined,
  weights: PageWeight[] | undefined,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const atMost = (
    target: string,
    value: number | undefined,
    max: number,
    unit: string,
    scenario?: string,
  ) =>
    checks.push({
      target: `${target} ≤ ${max} ${unit}`,
      actual:
        value === undefined || Number.isNaN(value)
          ? 'not measured'
          : `${+value.toFixed(2)} ${unit}`,
      pass: value !== undefined && value <= max,
      scenario,
    });
  for (const s of scenarios) {
    const { vsBare, sequenceP50MaxMs, storeEntriesMax } = s.scenario;
    if (typeof vsBare === 'number') {
      const ratio = s.load.requestsPerSecond / (s.bare ?? NaN);
      checks.push({
        target: `${s.label}: ≥ ${vsBare}× bare Express (same answer)`,
        actual: `${ratio.toFixed(2)}×`,
        pass: ratio >= vsBare,
        scenario: s.name,
      });
    }
    if (sequenceP50MaxMs !== undefined) {
      atMost(`${s.label}: server time p50`, s.timer.flows.p50, sequenceP50MaxMs, 'ms', s.name);
    }
    if (storeEntriesMax !== undefined) {
      atMost(
        `${s.label}: store entries per request`,
        s.storeEntriesPerRequest,
        storeEntriesMax,
        '',
        s.name,
      );
    }
  }
  for (const page of weights ?? []) {
    atMost(`${page.page} (brotli)`, page.brotliBytes, PAGE_BROTLI_MAX_BYTES, 'B');
  }
  atMost(
    'RSS per carted session (3 lines)',
    rss?.rssBytesPerSession,
    RSS_PER_SESSION_MAX_BYTES,
    'B',
  );
  for (const run of startup ?? [{ catalog: 'either', medianMs: undefined }]) {
    atMost(`start-up to first 200, ${run.catalog} catalog`, run.medianMs, STARTUP_MAX_MS, 'ms');
  }
  return checks;
}

export function machine(loadAverageAtStart: number) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryBytes: os.totalmem(),
    /** 1-minute load average before the run: other work on the machine makes figures noisy. */
    loadAverageAtStart,
  };
}

export function treeVersion(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: PROJECT_DIR, encoding: 'utf8', stdio: 'pipe' }).trim();
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain') ? '+dirty' : '');
  } catch {
    return 'unknown (not a git work tree)';
  }
}

export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const { connections, durationSeconds, warmupSeconds, smoke } = report.settings;
  const pass = (check: TargetCheck | undefined) => (check ? (check.pass ? 'PASS' : 'FAIL') : '');
  const lines = [
    `BestClips bench — ${report.date} — tree ${report.tree} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ` +
      `load average at start ${m.loadAverageAtStart.toFixed(2)}` +
      (m.loadAverageAtStart > 0.5 ? ' (other work was running: figures are noisy)' : ''),
    `${connections} connections, ${durationSeconds} s per scenario after ${warmupSeconds} s warm-up` +
      (smoke ? ' — SMOKE RUN: figures are meaningless' : ''),
    '',
    table(
      [
        'scenario',
        'req/s',
        'p50 ms',
        'p99 ms',
        'srv p50',
        'srv p99',
        'bare req/s',
        '×bare',
        'target',
        'srv cpu',
        'gen cpu',
        'bad',
      ],
      report.scenarios.map((s) => {
        const check = report.targets.find((t) => t.scenario === s.name);
        const ratio = s.bare === undefined ? '' : (s.load.requestsPerSecond / s.bare).toFixed(2);
        const flow =
          s.scenario.sequenceP50MaxMs !== undefined
            ? ` flow ${s.timer.flows.p50.toFixed(2)}ms`
            : '';
        return [
          s.label,
          s.load.requestsPerSecond.toFixed(0),
          s.load.latencyP50.toFixed(0),
          s.load.latencyP99.toFixed(0),
          s.serverTime.p50.toFixed(3),
          s.serverTime.p99.toFixed(3),
          s.bare === undefined ? '' : s.bare.toFixed(0),
          ratio,
          `${pass(check)}${flow}`,
          `${s.serverCpuPercent.toFixed(0)}%`,
          `${s.clientCpuPercent.toFixed(0)}%`,
          String(s.load.badAnswers + s.load.errors),
        ];
      }),
    ),
    '(p50/p99: latency at the load generator, whole ms; srv: server time from listener call to finish, ms;',
    ' bare: bare Express answering the captured response; srv/gen cpu: % of one core; bad: wrong answers)',
    '',
    ...(report.startup ?? []).map(
      (s) =>
        `Start-up to first 200, ${s.catalog} catalog: ${s.medianMs.toFixed(0)} ms median of [${s.runsMs.map((ms) => ms.toFixed(0)).join(', ')}] (${s.command})`,
    ),
    rssLine(report.rssPerSession),
    '',
    table(
      ['page', 'status', 'identity B', 'gzip B', 'brotli B'],
      (report.pageWeights ?? []).map((w) => [
        w.page,
        String(w.status),
        String(w.identityBytes),
        String(w.gzipBytes),
        String(w.brotliBytes),
      ]),
    ),
    '',
    'Targets:',
    ...report.targets.map((t) => `  ${pass(t)}  ${t.target} — ${t.actual}`),
    ...report.failures.map((f) => `  FAILED PHASE: ${f.phase} — ${f.error.split('\n')[0]}`),
  ];
  for (const [name, profile] of Object.entries(report.profiles)) {
    lines.push('', `CPU profile of the server, ${name} (${profile.file}), self time by area:`);
    lines.push(...profile.areas.slice(0, 8).map((a) => `  ${pct(a.selfPct)}  ${a.name}`));
    lines.push('  top functions:');
    lines.push(...profile.functions.slice(0, 10).map((f) => `  ${pct(f.selfPct)}  ${f.name}`));
  }
  return lines.join('\n');
}

function rssLine(rss: RssResult | undefined): string {
  if (!rss) return 'RSS per carted session: not measured';
  return (
    `RSS per carted session (3 lines): ${Math.round(rss.rssBytesPerSession)} B ` +
    `(live heap ${Math.round(rss.heapBytesPerSession)} B) over ${rss.sessionsCreated} sessions ` +
    `made over HTTP in ${rss.seconds.toFixed(1)} s`
  );
}

function pct(value: number): string {
  return `${value.toFixed(1).padStart(5)}%`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes the JSON as Prettier would format it, so `prettier --check .` stays clean. */
export async function writeJson(file: string, report: BenchReport): Promise<void> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  const json = JSON.stringify(report, (key, value: unknown) =>
    key === 'scenario' && typeof value === 'object' ? undefined : value,
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await prettier.format(json, { ...options, parser: 'json' }));
}
