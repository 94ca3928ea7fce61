// The bench's output: a text table for people, and JSON for comparing runs over time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProfileSummary } from './cpu-profile';
import type { LoadResult } from './load';
import type { PageWeight } from './page-weights';
import type { RssResult } from './rss';
import { PROJECT_DIR } from './settings';
import type { StartupResult } from './startup';
import type { Percentiles } from './stats';
import type { TargetCheck } from './targets';
import { FLOW_P50_MAX_MS, THROUGHPUT_TARGETS } from './targets';

export interface ScenarioResult {
  name: string;
  label: string;
  server: string;
  load: LoadResult;
  /** Server time per request on the server under test, ms. */
  serverTime: Percentiles;
  /** Server time per whole flow (flow scenario only), ms. */
  flowServerTime?: Percentiles;
  serverCpuPercent: number;
  clientCpuPercent: number;
  vsRaw: number;
  vsBare: number;
}

export interface BenchReport {
  date: string;
  /** The commit measured, `+dirty` when the work tree had changes. */
  tree: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    memoryBytes: number;
    /** 1-minute load average before the run: other work on the machine makes figures noisy. */
    loadAverageAtStart: number;
  };
  settings: Record<string, unknown>;
  scenarios: ScenarioResult[];
  /** Each of these is missing when its phase failed (see `failures`). */
  startup?: StartupResult;
  rssPerSession?: RssResult;
  pageWeights?: PageWeight[];
  targets: TargetCheck[];
  failures: { phase: string; error: string }[];
  profiles?: Record<string, ProfileSummary>;
}

export function machine(loadAverageAtStart: number): BenchReport['machine'] {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryBytes: os.totalmem(),
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
  const lines = [
    `BestClips bench — ${report.date} — tree ${report.tree} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ` +
      `load average at start ${m.loadAverageAtStart.toFixed(2)}` +
      (m.loadAverageAtStart > 0.5 ? ' (other work was running: figures are noisy)' : ''),
    `${report.settings.connections} connections, ${report.settings.durationSeconds} s per scenario` +
      ` (after ${report.settings.warmupSeconds} s warm-up); load generator and servers in separate processes` +
      (report.settings.smoke ? ' — SMOKE RUN: figures are meaningless' : ''),
    '',
    table(
      [
        'scenario',
        'req/s',
        'p50 ms',
        'p99 ms',
        'srv p50',
        'srv p99',
        '×raw',
        '×bare',
        'target',
        'srv cpu',
        'gen cpu',
        'bad',
      ],
      report.scenarios.map((s) => {
        const min = THROUGHPUT_TARGETS[s.name];
        const flow = s.flowServerTime;
        const target =
          min !== undefined
            ? `≥${min} ${s.vsBare >= min ? 'PASS' : 'FAIL'}`
            : flow
              ? `flow ${flow.p50.toFixed(2)}ms ${flow.p50 <= FLOW_P50_MAX_MS ? 'PASS' : 'FAIL'}`
              : '';
        return [
          s.label,
          s.load.requestsPerSecond.toFixed(0),
          s.load.latencyP50.toFixed(0),
          s.load.latencyP99.toFixed(0),
          s.serverTime.p50.toFixed(3),
          s.serverTime.p99.toFixed(3),
          s.vsRaw.toFixed(2),
          s.vsBare.toFixed(2),
          target,
          `${s.serverCpuPercent.toFixed(0)}%`,
          `${s.clientCpuPercent.toFixed(0)}%`,
          String(s.load.badAnswers + s.load.errors),
        ];
      }),
    ),
    '(p50/p99: latency seen by the load generator, whole ms; srv: server time from listener call to finish, ms;',
    ' srv/gen cpu: CPU of the server process / the load generator, % of one core; bad: wrong answers)',
    '',
    startupLine(report.startup),
    rssLine(report.rssPerSession),
    '',
    table(
      ['page', 'HTML B', 'gzip B', 'custom CSS B', 'served encoding'],
      (report.pageWeights ?? []).map((w) => [
        w.page,
        String(w.htmlBytes),
        String(w.gzipBytes),
        String(w.customCssBytes),
        w.servedEncoding,
      ]),
    ),
    '',
    'Targets (issue 9 §2):',
    ...report.targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target} — ${t.actual}`),
    ...report.failures.map((f) => `  FAILED PHASE: ${f.phase} — ${f.error.split('\n')[0]}`),
  ];
  for (const [name, profile] of Object.entries(report.profiles ?? {})) {
    lines.push('', `CPU profile of the server, ${name} (${profile.file}), self time:`);
    lines.push(...profile.areas.slice(0, 8).map((a) => `  ${pct(a.selfPct)}  ${a.name}`));
    lines.push('  top functions:');
    lines.push(...profile.functions.slice(0, 12).map((f) => `  ${pct(f.selfPct)}  ${f.name}`));
  }
  return lines.join('\n');
}

function startupLine(startup: StartupResult | undefined): string {
  if (!startup) return 'Start-up to first 200: not measured';
  return (
    `Start-up to first 200: ${startup.medianMs.toFixed(0)} ms median of ` +
    `[${startup.runsMs.map((ms) => ms.toFixed(0)).join(', ')}] (${startup.command}; ` +
    `node -e 0 alone: ${startup.nodeAloneMs.toFixed(0)} ms)`
  );
}

function rssLine(rss: RssResult | undefined): string {
  if (!rss) return 'RSS per session: not measured';
  return (
    `RSS per session (3-line cart): ${Math.round(rss.rssBytesPerSession)} B ` +
    `(heap: ${Math.round(rss.heapBytesPerSession)} B live, ` +
    `${Math.round(rss.heapCommittedBytesPerSession)} B of pages) over ${rss.sessionsCreated} sessions made over ` +
    `HTTP in ${rss.seconds.toFixed(1)} s; stored session objects hold their request: ` +
    `${rss.after.storedSessionHoldsRequest ? 'yes' : 'no'}`
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
  const text = await prettier.format(JSON.stringify(report), { ...options, parser: 'json' });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
