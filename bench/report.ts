// The targets, judged on figures of the same run, and the report: a text table for people, JSON
// for comparing runs over time. 1 KB = 1,000 bytes here.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { PROJECT_ROOT } from '../server/project-root';
import type { ScenarioResult } from './load';
import { PAGE_BROTLI_MAX_BYTES, RSS_PER_SESSION_MAX_BYTES, STARTUP_MAX_MS } from './measures';
import type { measureRssPerSession, measureStartup, pageWeights } from './measures';
import type { ProfileSummary } from './profile';
import { settings } from './support';

/** What a run measured; a phase that failed leaves its part out, and is listed in `failures`. */
export interface Results {
  scenarios: ScenarioResult[];
  startup?: Awaited<ReturnType<typeof measureStartup>>;
  rssPerSession?: Awaited<ReturnType<typeof measureRssPerSession>>;
  pageWeights?: Awaited<ReturnType<typeof pageWeights>>;
  profiles: Record<string, ProfileSummary>;
  failures: { phase: string; error: string }[];
}

export function checkTargets(results: Results) {
  /** `scenario`: the one it belongs to (profiled when missed). */
  const checks: { target: string; actual: string; pass: boolean; scenario?: string }[] = [];
  const check = (target: string, value = NaN, pass: boolean, unit: string) => {
    const actual = Number.isNaN(value) ? 'not measured' : `${+value.toFixed(2)}${unit}`;
    checks.push({ target, actual, pass });
  };
  const atMost = (target: string, value: number | undefined, max: number, unit = '') =>
    check(`${target} ≤ ${max}${unit}`, value, value! <= max, unit);
  for (const s of results.scenarios) {
    const { label, vsBare, sequenceP50MaxMs, storeEntriesMax } = s;
    const first = checks.length;
    const ratio = s.load.requestsPerSecond / s.bare!;
    if (typeof vsBare === 'number')
      check(`${label}: ≥ ${vsBare}× bare Express (same answer)`, ratio, ratio >= vsBare, '×');
    if (sequenceP50MaxMs !== undefined)
      atMost(`${label}: server time p50`, s.serverTime.sequences.p50, sequenceP50MaxMs, ' ms');
    if (storeEntriesMax !== undefined)
      atMost(`${label}: store entries per request`, s.storeEntriesPerRequest, storeEntriesMax);
    checks.slice(first).forEach((c) => (c.scenario = s.name));
  }
  for (const page of results.pageWeights ?? [])
    atMost(`${page.page} (brotli)`, page.brotliBytes, PAGE_BROTLI_MAX_BYTES, ' B');
  const rss = results.rssPerSession?.rssBytesPerSession;
  atMost('RSS per carted session (3 lines)', rss, RSS_PER_SESSION_MAX_BYTES, ' B');
  for (const { catalog, medianMs } of results.startup ?? [{ catalog: 'either', medianMs: NaN }])
    atMost(`start-up to first 200, ${catalog} catalog`, medianMs, STARTUP_MAX_MS, ' ms');
  return checks;
}
type TargetCheck = ReturnType<typeof checkTargets>[number];

/** The report of a run: where and on what it ran, and what it measured and judged. */
export function buildReport(start: { date: string; loadAverage: number }, results: Results) {
  return {
    date: start.date,
    /** The commit measured, `+dirty` when the work tree had changes. */
    tree: treeVersion(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '?',
      node: process.version,
      loadAverageAtStart: start.loadAverage,
    },
    settings: { ...settings, loadGenerator: 'autocannon (parent process; servers in a child)' },
    ...results,
    targets: checkTargets(results),
  };
}

function treeVersion(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  try {
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain') ? '+dirty' : '');
  } catch {
    return 'unknown (not a git work tree)';
  }
}

const verdict = (check?: TargetCheck) => (check ? (check.pass ? 'PASS' : 'FAIL') : '');
const fixed = (value: number | undefined, digits: number) => value?.toFixed(digits) ?? '';
const pct = (value: number) => `${value.toFixed(1).padStart(5)}%`;

export function formatReport(report: ReturnType<typeof buildReport>): string {
  const { machine: m, settings: run, startup = [], rssPerSession: rss, targets } = report;
  const scenarios = report.scenarios.map((s) => ({
    scenario: s.label,
    'req/s': fixed(s.load.requestsPerSecond, 0),
    'p50 ms': fixed(s.load.latencyP50, 0),
    'p99 ms': fixed(s.load.latencyP99, 0),
    'srv p50': fixed(s.serverTime.requests.p50, 3),
    'srv p99': fixed(s.serverTime.requests.p99, 3),
    'bare req/s': fixed(s.bare, 0),
    '×bare': fixed(s.bare && s.load.requestsPerSecond / s.bare, 2),
    target:
      verdict(targets.find((t) => t.scenario === s.name)) +
      (s.sequenceP50MaxMs === undefined ? '' : ` ${fixed(s.serverTime.sequences.p50, 2)}ms`),
    'srv cpu': `${fixed(s.serverCpuPercent, 0)}%`,
    'gen cpu': `${fixed(s.clientCpuPercent, 0)}%`,
    bad: s.load.badAnswers + s.load.errors,
  }));
  return [
    `BestClips bench — ${report.date} — tree ${report.tree} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average at start ${m.loadAverageAtStart.toFixed(2)}` +
      (m.loadAverageAtStart > 0.5 ? ' (other work was running: figures are noisy)' : ''),
    `${run.connections} connections, ${run.durationSeconds} s per scenario after ${run.warmupSeconds} s warm-up` +
      (run.smoke ? ' — SMOKE RUN: figures are meaningless' : ''),
    '',
    table(scenarios),
    '(p50/p99: latency at the load generator, whole ms; srv: server time from listener call to finish, ms;',
    ' bare: bare Express answering the captured answer; srv/gen cpu: % of one core; bad: wrong answers)',
    '',
    ...startup.map(
      (s) =>
        `Start-up to first 200, ${s.catalog} catalog: ${s.medianMs.toFixed(0)} ms median of [${s.runsMs.map((ms) => ms.toFixed(0)).join(', ')}] (${s.command})`,
    ),
    rss
      ? `RSS per carted session (3 lines): ${Math.round(rss.rssBytesPerSession)} B (live heap ${Math.round(rss.heapBytesPerSession)} B) over ${rss.sessionsCreated} sessions made over HTTP in ${rss.seconds.toFixed(1)} s`
      : 'RSS per carted session: not measured',
    '',
    table(report.pageWeights ?? []),
    '',
    'Targets:',
    ...targets.map((t) => `  ${verdict(t)}  ${t.target} — ${t.actual}`),
    ...report.failures.map((f) => `  FAILED PHASE: ${f.phase} — ${f.error.split('\n')[0]}`),
    ...Object.entries(report.profiles).flatMap(([name, profile]) => [
      '',
      `CPU profile of the server, ${name} (${profile.file}), self time by area:`,
      ...profile.areas.slice(0, 8).map((a) => `  ${pct(a.selfPct)}  ${a.name}`),
      '  top functions:',
      ...profile.functions.slice(0, 10).map((f) => `  ${pct(f.selfPct)}  ${f.name}`),
    ]),
  ].join('\n');
}

/** Rows of objects under their keys; the first column left-aligned, the others right-aligned. */
function table(rows: object[]): string {
  const lines = [Object.keys(rows[0] ?? {}), ...rows.map((row) => Object.values(row).map(String))];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((cells) => cells[i].length)));
  const pad = (cell: string, i: number) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const rule = widths.map((w) => '-'.repeat(w));
  return [lines[0], rule, ...lines.slice(1)].map((cells) => cells.map(pad).join('  ')).join('\n');
}
