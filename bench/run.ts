// `npm run bench` (docs/performance.md): start-up, the scenario table under load, page weights, RSS
// per session. Prints the tables and the targets, judged on figures of the same run (1 KB = 1,000
// bytes), writes JSON, and CPU-profiles every scenario that missed its target.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot, PROJECT_ROOT } from '../server/project-root';
import { writeCatalog } from '../scripts/generate-catalog';
import { capture, measure, runLoad, type ScenarioResult } from './load';
import { measureRssPerSession, measureStartup, pageWeights } from './measures';
import { PAGE_BROTLI_MAX_BYTES, RSS_PER_SESSION_MAX_BYTES, STARTUP_MAX_MS } from './measures';
import type { ProfileSummary } from './profile';
import { PRODUCT_PAGE, scenarios, type Scenario } from './scenarios';
import { BIG_CATALOG_FILE, forkServers, freePorts, mintShopper, settings } from './support';
import type { Servers } from './support';

type Measured<F extends (...args: never) => Promise<unknown>> = Awaited<ReturnType<F>> | undefined;
/** What was measured, and where; a phase that failed leaves its part out and is in `failures`. */
const report = {
  date: new Date().toISOString(),
  /** The commit measured, `+dirty` when the work tree had changes. */
  tree: treeVersion(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    node: process.version,
    loadAverageAtStart: os.loadavg()[0],
  },
  settings: { ...settings, loadGenerator: 'autocannon (parent process; servers in a child)' },
  startup: undefined as Measured<typeof measureStartup>,
  scenarios: [] as ScenarioResult[],
  pageWeights: undefined as Measured<typeof pageWeights>,
  rssPerSession: undefined as Measured<typeof measureRssPerSession>,
  targets: [] as ReturnType<typeof checkTargets>,
  failures: [] as { phase: string; error: string }[],
  profiles: {} as Record<string, ProfileSummary>,
};

const log = (message: string) =>
  console.error(`[${(performance.now() / 1000).toFixed(1).padStart(5)} s] ${message}`);

/** A phase that fails is reported, not fatal: the other phases still run and print. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  log(`${name}…`);
  try {
    return await run();
  } catch (error) {
    report.failures.push({ phase: name, error: String((error as Error).stack ?? error) });
    log(`${name} FAILED: ${String(error)}`);
  }
}

async function main(): Promise<void> {
  // Written every run (fast, deterministic): no file of another size or generator is measured.
  writeCatalog(settings.bigCatalog, BIG_CATALOG_FILE);
  report.startup = await phase('start-up time', measureStartup);
  const servers = await phase('starting the servers', async () => {
    const [PORT, BIG_PORT, CACHE_PORT] = await freePorts(3);
    return forkServers({ PORT, BIG_PORT, CACHE_PORT });
  });
  if (servers) await measureOnServers(servers).finally(servers.close);
  const sessions = `RSS per session (${settings.sessions} carted sessions)`;
  report.rssPerSession = await phase(sessions, measureRssPerSession);
  report.targets = checkTargets();
  console.log(`\n${formatReport()}\n`);
  mkdirSync(path.dirname(settings.out), { recursive: true });
  writeFileSync(settings.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`JSON: ${path.relative(process.cwd(), settings.out)}`);
  const bad = report.scenarios.filter((s) => s.load.badAnswers + s.load.errors > 0);
  for (const s of bad)
    console.error(`${s.label}: wrong answers, e.g. ${s.load.problems.join('; ')}`);
  const rssBad = report.rssPerSession?.badAnswers;
  if (rssBad) console.error(`RSS run: ${rssBad} requests did not answer 200`);
  for (const f of report.failures) console.error(`${f.phase} failed:\n${f.error}`);
  if (bad.length > 0 || rssBad || report.failures.length > 0) process.exitCode = 1;
}

/** Page weights, every scenario of the table, and the profiles of those that want one. */
async function measureOnServers(servers: Servers) {
  const { info } = servers;
  const mint = () => mintShopper(info.urls.origin, info);
  const shoppers = await phase('making returning shoppers', async () => ({
    one: await mint(),
    pool: await Promise.all(Array.from({ length: settings.connections * 2 }, mint)),
  }));
  // The product page's answer: what raw node:http replays, and the ETag to revalidate with.
  const product = await phase('capturing the product page', () =>
    capture(servers, 'product', 'origin', PRODUCT_PAGE),
  );
  if (!shoppers || !product) return;
  report.pageWeights = await phase('page weights', async () =>
    pageWeights(info, shoppers.one, await mint()),
  );
  const table = scenarios(info, shoppers, product.headers.etag);
  for (const scenario of table) {
    const result = await phase(scenario.label, () => measure(servers, scenario));
    if (result) report.scenarios.push(result);
  }
  // Profiled: every scenario that missed a target; BENCH_PROFILE=1: every shop scenario, or a list.
  const missed = checkTargets().flatMap((t) => (t.pass ? [] : [t.scenario]));
  const listed = (s: Scenario) =>
    settings.profile === '1' ? s.server !== 'raw' : settings.profile.split(',').includes(s.name);
  for (const scenario of table.filter((s) => missed.includes(s.name) || listed(s))) {
    const summary = await phase(`profiling ${scenario.name}`, async () => {
      await servers.call('profile-start');
      await runLoad(servers, scenario, settings.durationSeconds);
      const file = fromRoot('bench', 'results', 'profiles', `${scenario.name}.cpuprofile`);
      return servers.call<ProfileSummary>('profile-stop', file);
    });
    if (summary) report.profiles[scenario.name] = summary;
  }
}

/** Every target, judged on what was measured; `scenario`: the one it belongs to. */
function checkTargets() {
  const checks: { target: string; actual: string; pass: boolean; scenario?: string }[] = [];
  const check = (target: string, value = NaN, pass: boolean, unit: string) => {
    const actual = Number.isNaN(value) ? 'not measured' : `${+value.toFixed(2)}${unit}`;
    checks.push({ target, actual, pass });
  };
  const atMost = (target: string, value: number | undefined, max: number, unit = '') =>
    check(`${target} ≤ ${max}${unit}`, value, value! <= max, unit);
  for (const s of report.scenarios) {
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
  for (const page of report.pageWeights ?? [])
    atMost(`${page.page} (brotli)`, page.brotliBytes, PAGE_BROTLI_MAX_BYTES, ' B');
  const rss = report.rssPerSession?.rssBytesPerSession;
  atMost('RSS per carted session (3 lines)', rss, RSS_PER_SESSION_MAX_BYTES, ' B');
  for (const { catalog, medianMs } of report.startup ?? [{ catalog: 'either', medianMs: NaN }])
    atMost(`start-up to first 200, ${catalog} catalog`, medianMs, STARTUP_MAX_MS, ' ms');
  return checks;
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

const verdict = (check?: { pass: boolean }) => (check ? (check.pass ? 'PASS' : 'FAIL') : '');
const fixed = (value: number | undefined, digits: number) => value?.toFixed(digits) ?? '';
const pct = (value: number) => `${value.toFixed(1).padStart(5)}%`;

function formatReport(): string {
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

void main(); // failing phases are reported in it; anything else rejects, unhandled: Node exits 1
