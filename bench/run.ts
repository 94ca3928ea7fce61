// `npm run bench` (docs/performance.md): start-up with either catalog; every scenario of the table
// under load, and bare Express answering the same captured answer where a scenario is compared
// with it; page weights; RSS per carted session. Prints a table and the targets, writes JSON, and
// CPU-profiles every scenario that missed its target. Servers run in a child process, the load
// generator (autocannon) here.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCatalog } from '../scripts/generate-catalog';
import { runLoad } from './load';
import { measureRssPerSession, measureStartup, pageWeights, placeOrder } from './measures';
import type { ProfileSummary } from './profile';
import { checkTargets, formatReport, machine, treeVersion, writeJson } from './report';
import type { BenchReport, ScenarioResult } from './report';
import { forkChild, type RpcChild } from './rpc';
import { capturedRequest, FLOW_STEPS, onBare, productPage, scenarios } from './scenarios';
import type { Scenario } from './scenarios';
import type { CaptureRequest, ServersInfo, ServerStats } from './servers';
import { BENCH_DIR, BENCH_ENV, BIG_CATALOG_FILE, freePorts } from './support';
import { mintShopper, settings, SKUS } from './support';

type Servers = RpcChild<ServersInfo>;
const failures: BenchReport['failures'] = [];
const started = performance.now();
const log = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`,
  );

/** A phase that fails is reported, not fatal: the other phases still run and print. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  log(`${name}…`);
  try {
    return await run();
  } catch (error) {
    failures.push({ phase: name, error: String((error as Error).stack ?? error) });
    log(`${name} FAILED: ${String(error)}`);
  }
}

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const loadAverageAtStart = os.loadavg()[0];
  if (settings.smoke || !existsSync(BIG_CATALOG_FILE))
    writeCatalog(settings.bigCatalog, BIG_CATALOG_FILE);
  const startup = await phase('start-up time', () =>
    measureStartup(settings.startupRuns, settings.build),
  );
  const measured: ScenarioResult[] = [];
  const profiles: Record<string, ProfileSummary> = {};
  let weights: BenchReport['pageWeights'];
  const servers = await phase('starting the servers', startServers);
  try {
    const info = servers?.info;
    const origins = info && { publicOrigin: info.publicOrigin, cacheOrigin: info.urls.cache };
    const mint = () => mintShopper(info!.urls.origin, origins!, SKUS);
    const shoppers =
      servers &&
      (await phase('making returning shoppers', async () => ({
        withCart: await mint(),
        pool: await Promise.all(Array.from({ length: settings.connections * 2 }, mint)),
      })));
    if (servers && shoppers) {
      weights = await phase('page weights', async () => {
        const cookie = await mint();
        const order = await placeOrder(servers.info.urls.origin, servers.info.publicOrigin, cookie);
        return pageWeights(servers.info, shoppers.withCart, { path: order, cookie });
      });
      // The product page's answer: what raw node:http replays, and the ETag to revalidate with.
      const product = await servers.call<Record<string, string>>('capture', {
        name: 'product',
        server: 'origin',
        ...capturedRequest(productPage),
      } satisfies CaptureRequest);
      const table = scenarios(servers.info, shoppers, product.etag);
      for (const scenario of table) {
        const result = await phase(scenario.label, () => measure(servers, scenario));
        if (result) measured.push(result);
      }
      const missed = checkTargets({ scenarios: measured, pageWeights: weights }).filter(
        (t) => !t.pass,
      );
      for (const scenario of table.filter((s) =>
        wantsProfile(
          s,
          missed.map((t) => t.scenario),
        ),
      )) {
        const summary = await phase(`profiling ${scenario.name}`, () => profile(servers, scenario));
        if (summary) profiles[scenario.name] = summary;
      }
    }
  } finally {
    await servers?.close();
  }
  const rssPerSession = await phase(`RSS per session (${settings.sessions} carted sessions)`, () =>
    measureRssPerSession(settings.sessions),
  );
  const results = { scenarios: measured, startup, rssPerSession, pageWeights: weights };
  const report: BenchReport = {
    date,
    tree: treeVersion(),
    machine: machine(loadAverageAtStart),
    settings: { ...settings, loadGenerator: 'autocannon (parent process; servers in a child)' },
    ...results,
    targets: checkTargets(results),
    failures,
    profiles,
  };
  console.log(`\n${formatReport(report)}\n`);
  await writeJson(settings.out, report);
  console.log(`JSON: ${path.relative(process.cwd(), settings.out)}`);
  const bad = measured.filter((s) => s.load.badAnswers + s.load.errors > 0);
  for (const s of bad)
    console.error(`${s.label}: wrong answers, e.g. ${s.load.problems.join('; ')}`);
  if (rssPerSession?.badAnswers)
    console.error(`RSS run: ${rssPerSession.badAnswers} requests did not answer 200`);
  for (const failure of failures) console.error(`${failure.phase} failed:\n${failure.error}`);
  if (bad.length > 0 || rssPerSession?.badAnswers || failures.length > 0) process.exitCode = 1;
}

async function startServers(): Promise<Servers> {
  const [port, bigPort, cachePort] = await freePorts(3);
  return forkChild<ServersInfo>(path.join(BENCH_DIR, 'servers.ts'), [], {
    ...BENCH_ENV,
    PORT: String(port),
    BIG_PORT: String(bigPort),
    CACHE_PORT: String(cachePort),
  });
}

/**
 * One scenario. One compared with bare Express runs in two rounds of half the time, alternating
 * with bare Express answering its captured answer: a change in the machine's load (other work on
 * shared cores) then hits both sides alike. Its req/s are over both rounds.
 */
async function measure(servers: Servers, scenario: Scenario): Promise<ScenarioResult> {
  if (scenario.vsBare === undefined) return measureOne(servers, scenario, settings.durationSeconds);
  const server = scenario.server === 'big' ? 'big' : 'origin';
  const capture: CaptureRequest = { name: scenario.name, server, ...capturedRequest(scenario) };
  await servers.call('capture', capture);
  const half = settings.durationSeconds / 2;
  const rounds: ScenarioResult[][] = [];
  for (let round = 0; round < 2; round++) {
    rounds.push([
      await measureOne(servers, scenario, half),
      await measureOne(servers, onBare(scenario), half),
    ]);
  }
  const rate = (side: 0 | 1) => {
    const [a, b] = rounds.map((pair) => pair[side].load);
    return (a.responses + b.responses) / (a.seconds + b.seconds);
  };
  const result = rounds[1][0];
  result.load.requestsPerSecond = rate(0);
  return { ...result, bare: rate(1) };
}

/** A warm-up, then the measured run with fresh server-side counters. */
async function measureOne(
  servers: Servers,
  scenario: Scenario,
  seconds: number,
): Promise<ScenarioResult> {
  const url = servers.info.urls[scenario.server];
  const connections = scenario.connections ?? settings.connections;
  const load = (seconds: number) => runLoad(url, scenario.steps, seconds, connections);
  if (settings.warmupSeconds > 0) await load(settings.warmupSeconds);
  await servers.call('reset');
  const cpu = process.cpuUsage();
  const result = await load(seconds);
  const clientCpu = process.cpuUsage(cpu);
  const stats = await servers.call<ServerStats>('stats', FLOW_STEPS);
  return {
    name: scenario.name,
    label: scenario.label,
    load: result,
    serverTime: stats.timers[scenario.server],
    storeEntriesPerRequest: stats.sessionsStored / result.responses,
    serverCpuPercent: stats.cpuPercent,
    clientCpuPercent: (clientCpu.user + clientCpu.system) / 10 / result.seconds / 1000,
    scenario,
  };
}

/** BENCH_PROFILE=1: every shop scenario; a comma list: those; always: those that missed. */
function wantsProfile(scenario: Scenario, missed: (string | undefined)[]): boolean {
  if (missed.includes(scenario.name)) return true;
  if (settings.profile === '1') return scenario.server !== 'raw';
  return settings.profile.split(',').includes(scenario.name);
}

async function profile(servers: Servers, scenario: Scenario): Promise<ProfileSummary> {
  const file = path.join(BENCH_DIR, 'results', 'profiles', `${scenario.name}.cpuprofile`);
  await servers.call('profile-start');
  const url = servers.info.urls[scenario.server];
  await runLoad(url, scenario.steps, settings.durationSeconds, settings.connections);
  return servers.call<ProfileSummary>('profile-stop', file);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
