// The targets, judged on figures of the same run, and the output: a text table for people, JSON
// for comparing runs over time. 1 KB = 1,000 bytes here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load';
import type { PageWeight, RssResult, StartupResult } from './measures';
import type { ProfileSummary } from './profile';
import type { Scenario } from './scenarios';
import { PROJECT_DIR, type Percentiles } from './support';

const PAGE_BROTLI_MAX_BYTES = 10_000;
const RSS_PER_SESSION_MAX_BYTES = 1_500;
const STARTUP_MAX_MS = 1_000;

export interface ScenarioResult {
  name: string;
  label: string;
  load: LoadResult;
  /** Server time per request and per whole sequence (the flow), ms. */
  serverTime: { requests: Percentiles; sequences: Percentiles };
  /** Sessions the store gained, per request answered. */
  storeEntriesPerRequest: number;
  serverCpuPercent: number;
  clientCpuPercent: number;
  /** Bare Express answering the same captured answer: req/s. */
  bare?: number;
  scenario: Scenario;
}

export interface TargetCheck {
  target: string;
  actual: string;
  pass: boolean;
  /** The scenario it belongs to (profiled when missed). */
  scenario?: string;
}

export interface BenchReport {
  date: string;
  /** The commit measured, `+dirty` when the work tree had changes. */
  tree: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtStart: number };
  settings: Record<string, unknown>;
  scenarios: ScenarioResult[];
  /** Missing when their phase failed (see `failures`). */
  startup?: StartupResult[];
  rssPerSession?: RssResult;
  pageWeights?: PageWeight[];
  targets: TargetCheck[];
  failures: { phase: string; error: string }[];
  profiles: Record<string, ProfileSummary>;
}

export function checkTargets(
  report: Omit<
    BenchReport,
    'targets' | 'date' | 'tree' | 'machine' | 'settings' | 'failures' | 'profiles'
  >,
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
      target: `${target} ≤ ${max} ${unit}`.trim(),
      actual:
        value === undefined || Number.isNaN(value)
          ? 'not measured'
          : `${+value.toFixed(2)} ${unit}`.trim(),
      pass: value !== undefined && value <= max,
      scenario,
    });
  for (const s of report.scenarios) {
    const { vsBare, sequenceP50MaxMs, storeEntriesMax } = s.scenario;
    if (typeof vsBare === 'number') {
      const ratio = s.load.requestsPerSecond / (s.bare ?? NaN);
      const target = `${s.label}: ≥ ${vsBare}× bare Express (same answer)`;
      checks.push({
        target,
        actual: `${ratio.toFixed(2)}×`,
        pass: ratio >= vsBare,
        scenario: s.name,
      });
    }
    if (sequenceP50MaxMs !== undefined) {
      atMost(
        `${s.label}: server time p50`,
        s.serverTime.sequences.p50,
        sequenceP50MaxMs,
        'ms',
        s.name,
      );
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
  for (const page of report.pageWeights ?? []) {
    atMost(`${page.page} (brotli)`, page.brotliBytes, PAGE_BROTLI_MAX_BYTES, 'B');
  }
  atMost(
    'RSS per carted session (3 lines)',
    report.rssPerSession?.rssBytesPerSession,
    RSS_PER_SESSION_MAX_BYTES,
    'B',
  );
  for (const { catalog, medianMs } of report.startup ?? [
    { catalog: 'either', medianMs: undefined },
  ]) {
    atMost(`start-up to first 200, ${catalog} catalog`, medianMs, STARTUP_MAX_MS, 'ms');
  }
  return checks;
}

export function machine(loadAverageAtStart: number): BenchReport['machine'] {
  const [cpu] = os.cpus();
  return {
    cpus: os.cpus().length,
    cpuModel: cpu?.model ?? '?',
    node: process.version,
    loadAverageAtStart,
  };
}

export function treeVersion(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: PROJECT_DIR, encoding: 'utf8' }).trim();
  try {
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain') ? '+dirty' : '');
  } catch {
    return 'unknown (not a git work tree)';
  }
}

const COLUMNS =
  'scenario,req/s,p50 ms,p99 ms,srv p50,srv p99,bare req/s,×bare,target,srv cpu,gen cpu,bad';

export function formatReport(report: BenchReport): string {
  const { machine: m, settings } = report;
  const verdict = (check?: TargetCheck) => (check ? (check.pass ? 'PASS' : 'FAIL') : '');
  const rows = report.scenarios.map((s) => {
    const sequence =
      s.scenario.sequenceP50MaxMs === undefined
        ? ''
        : ` ${s.serverTime.sequences.p50.toFixed(2)}ms`;
    return [
      s.label,
      s.load.requestsPerSecond.toFixed(0),
      s.load.latencyP50.toFixed(0),
      s.load.latencyP99.toFixed(0),
      s.serverTime.requests.p50.toFixed(3),
      s.serverTime.requests.p99.toFixed(3),
      s.bare?.toFixed(0) ?? '',
      s.bare === undefined ? '' : (s.load.requestsPerSecond / s.bare).toFixed(2),
      verdict(report.targets.find((t) => t.scenario === s.name)) + sequence,
      `${s.serverCpuPercent.toFixed(0)}%`,
      `${s.clientCpuPercent.toFixed(0)}%`,
      String(s.load.badAnswers + s.load.errors),
    ];
  });
  const rss = report.rssPerSession;
  const lines = [
    `BestClips bench — ${report.date} — tree ${report.tree} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average at start ${m.loadAverageAtStart.toFixed(2)}` +
      (m.loadAverageAtStart > 0.5 ? ' (other work was running: figures are noisy)' : ''),
    `${settings.connections} connections, ${settings.durationSeconds} s per scenario after ${settings.warmupSeconds} s warm-up` +
      (settings.smoke ? ' — SMOKE RUN: figures are meaningless' : ''),
    '',
    table(COLUMNS.split(','), rows),
    '(p50/p99: latency at the load generator, whole ms; srv: server time from listener call to finish, ms;',
    ' bare: bare Express answering the captured answer; srv/gen cpu: % of one core; bad: wrong answers)',
    '',
    ...(report.startup ?? []).map(
      (s) =>
        `Start-up to first 200, ${s.catalog} catalog: ${s.medianMs.toFixed(0)} ms median of [${s.runsMs.map((ms) => ms.toFixed(0)).join(', ')}] (${s.command})`,
    ),
    rss
      ? `RSS per carted session (3 lines): ${Math.round(rss.rssBytesPerSession)} B (live heap ${Math.round(rss.heapBytesPerSession)} B) over ${rss.sessionsCreated} sessions made over HTTP in ${rss.seconds.toFixed(1)} s`
      : 'RSS per carted session: not measured',
    '',
    table(
      ['page', 'status', 'identity B', 'gzip B', 'brotli B'],
      (report.pageWeights ?? []).map((w) =>
        [w.page, w.status, w.identityBytes, w.gzipBytes, w.brotliBytes].map(String),
      ),
    ),
    '',
    'Targets:',
    ...report.targets.map((t) => `  ${verdict(t)}  ${t.target} — ${t.actual}`),
    ...report.failures.map((f) => `  FAILED PHASE: ${f.phase} — ${f.error.split('\n')[0]}`),
  ];
  const pct = (value: number) => `${value.toFixed(1).padStart(5)}%`;
  for (const [name, profile] of Object.entries(report.profiles)) {
    lines.push('', `CPU profile of the server, ${name} (${profile.file}), self time by area:`);
    lines.push(...profile.areas.slice(0, 8).map((a) => `  ${pct(a.selfPct)}  ${a.name}`));
    lines.push(
      '  top functions:',
      ...profile.functions.slice(0, 10).map((f) => `  ${pct(f.selfPct)}  ${f.name}`),
    );
  }
  return lines.join('\n');
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
  // Scenario definitions (functions, steps) are not results.
  const json = JSON.stringify(report, (key, value: unknown) =>
    key === 'scenario' ? undefined : value,
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await prettier.format(json, { ...options, parser: 'json' }));
}
