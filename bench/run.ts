// `npm run bench`: start-up time with either catalog, then every scenario of the table (and, for
// those with a target against bare Express, the same answer from bare Express) under load, page
// weights, store entries per anonymous visit, RSS per carted session; a table, the targets, and
// JSON. Servers run in a child process, the load generator (autocannon) here. A scenario that
// misses its target is CPU-profiled afterwards, to say why.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCatalog } from '../scripts/generate-catalog';
import { runLoad } from './load';
import { measureRssPerSession, measureStartup, pageWeights, placeOrder } from './measures';
import {
  checkTargets,
  formatReport,
  machine,
  treeVersion,
  writeJson,
  type BenchReport,
  type ScenarioResult,
} from './report';
import { forkChild, type RpcChild } from './rpc';
import { capturedRequest, FLOW_STEPS, onBare, scenarios, type Scenario } from './scenarios';
import type { CaptureRequest, ServersInfo } from './servers';
import {
  BENCH_DIR,
  BENCH_SECRET,
  BIG_CATALOG_FILE,
  freePorts,
  mintShopper,
  settings,
  SKUS,
} from './support';
import type { ProfileSummary } from './profile';

type Servers = RpcChild<ServersInfo>;
const failures: BenchReport['failures'] = [];

/** A phase that fails is reported, not fatal: the other phases still run and print. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  log(`${name}…`);
  try {
    return await run();
  } catch (error) {
    failures.push({ phase: name, error: String((error as Error).stack ?? error) });
    log(`${name} FAILED: ${String(error)}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const loadAverageAtStart = os.loadavg()[0];
  log(
    `bench: ${os.cpus().length} CPUs, Node ${process.version}${settings.smoke ? ' (smoke)' : ''}`,
  );
  if (!existsSync(BIG_CATALOG_FILE) || settings.smoke)
    writeCatalog(settings.bigCatalog, BIG_CATALOG_FILE);

  const startup = await phase('start-up time (both catalogs)', () =>
    measureStartup(settings.startupRuns, settings.build),
  );
  const measured: ScenarioResult[] = [];
  const profiles: Record<string, ProfileSummary> = {};
  let weights: BenchReport['pageWeights'];
  const servers = await phase('starting the servers', startServers);
  if (servers) {
    try {
      const { info } = servers;
      const origins = { publicOrigin: info.publicOrigin, cacheOrigin: info.urls.cache };
      const shoppers = await phase('making returning shoppers', async () => ({
        withCart: await mintShopper(info.urls.origin, origins, SKUS),
        pool: await Promise.all(
          Array.from({ length: settings.connections * 2 }, () =>
            mintShopper(info.urls.origin, origins, SKUS),
          ),
        ),
        ordered: await mintShopper(info.urls.origin, origins, SKUS),
      }));
      if (shoppers) {
        weights = await phase('page weights', async () => {
          const cookie = shoppers.ordered;
          const order = await placeOrder(info.urls.origin, info.publicOrigin, cookie);
          return pageWeights(info, shoppers.withCart, { path: order, cookie });
        });
        const product = await servers.call<{ headers: Record<string, string> }>('capture', {
          name: 'product',
          server: 'origin',
          path: '/products/superclip',
          headers: { 'accept-encoding': 'gzip, deflate, br' },
        } satisfies CaptureRequest);
        const table = scenarios(info, shoppers, product.headers.etag);
        for (const scenario of table) {
          const result = await phase(scenario.label, () => measure(servers, scenario));
          if (result) measured.push(result);
        }
        const missed = checkTargets(measured, startup, undefined, weights)
          .filter((t) => !t.pass)
          .map((t) => t.scenario);
        for (const scenario of table.filter((s) => wantsProfile(s, missed))) {
          const summary = await phase(`profiling ${scenario.name}`, () =>
            profile(servers, scenario),
          );
          if (summary) profiles[scenario.name] = summary;
        }
      }
    } finally {
      await servers.close();
    }
  }
  const rss = await phase(`RSS per session (${settings.sessions} carted sessions)`, () =>
    measureRssPerSession(settings.sessions),
  );

  const report: BenchReport = {
    date,
    tree: treeVersion(),
    machine: machine(loadAverageAtStart),
    settings: {
      ...settings,
      loadGenerator: 'autocannon (parent process; servers in a child process)',
    },
    scenarios: measured,
    startup,
    rssPerSession: rss,
    pageWeights: weights,
    targets: checkTargets(measured, startup, rss, weights),
    failures,
    profiles,
  };
  console.log(`\n${formatReport(report)}\n`);
  await writeJson(settings.out, report);
  console.log(`JSON: ${path.relative(process.cwd(), settings.out)}`);

  const bad = measured.filter((s) => s.load.badAnswers + s.load.errors > 0);
  for (const s of bad)
    console.error(`${s.label}: wrong answers, e.g. ${s.load.problems.join('; ')}`);
  if (rss && rss.badAnswers > 0)
    console.error(`RSS run: ${rss.badAnswers} requests did not answer 200`);
  for (const failure of failures) console.error(`${failure.phase} failed:\n${failure.error}`);
  if (bad.length > 0 || (rss?.badAnswers ?? 0) > 0 || failures.length > 0) process.exitCode = 1;
}

async function startServers(): Promise<Servers> {
  const [port, bigPort, cachePort] = await freePorts(3);
  return forkChild<ServersInfo>(path.join(BENCH_DIR, 'servers.ts'), [], {
    NODE_ENV: 'production',
    SESSION_SECRET: BENCH_SECRET,
    PORT: String(port),
    BIG_PORT: String(bigPort),
    CACHE_PORT: String(cachePort),
    ...(settings.mainCatalog === 'big' ? { CATALOG_FILE: BIG_CATALOG_FILE } : {}),
  });
}

/** One scenario (and its bare-Express twin): a warm-up, then the measured run. */
async function measure(servers: Servers, scenario: Scenario): Promise<ScenarioResult> {
  const result = await measureOne(servers, scenario);
  if (scenario.vsBare !== undefined) {
    const server = scenario.server === 'big' ? 'big' : 'origin';
    await servers.call('capture', { name: scenario.name, server, ...capturedRequest(scenario) });
    const bare = await measureOne(servers, onBare(scenario));
    result.bare = bare.load.requestsPerSecond;
    result.bareServerP50 = bare.serverTime.p50;
  }
  return result;
}

async function measureOne(servers: Servers, scenario: Scenario): Promise<ScenarioResult> {
  const url = servers.info.urls[scenario.server];
  const load = (seconds: number) => runLoad(url, scenario.steps, seconds, settings.connections);
  if (settings.warmupSeconds > 0) await load(settings.warmupSeconds);
  await servers.call('reset');
  const stored = await servers.call<{ sessions: number }>('stored');
  const cpu = process.cpuUsage();
  const result = await load(settings.durationSeconds);
  const clientCpu = process.cpuUsage(cpu);
  const after = await servers.call<{ sessions: number }>('stored');
  const stats = await servers.call<{
    timers: Record<string, ScenarioResult['timer']>;
    cpuPercent: number;
  }>('stats', FLOW_STEPS);
  const timer = stats.timers[scenario.server];
  return {
    name: scenario.name,
    label: scenario.label,
    server: scenario.server,
    load: result,
    serverTime: timer.requests,
    timer,
    storeEntriesPerRequest: (after.sessions - stored.sessions) / result.responses,
    serverCpuPercent: stats.cpuPercent,
    clientCpuPercent: (clientCpu.user + clientCpu.system) / 10 / result.seconds / 1000,
    scenario,
  };
}

/** BENCH_PROFILE=1: every shop scenario; a comma list: those; always: those that missed. */
function wantsProfile(scenario: Scenario, missed: (string | undefined)[]): boolean {
  if (missed.includes(scenario.name)) return true;
  if (settings.profile === '1') return ['origin', 'big', 'cache'].includes(scenario.server);
  return settings.profile.split(',').includes(scenario.name);
}

async function profile(servers: Servers, scenario: Scenario) {
  const file = path.join(BENCH_DIR, 'results', 'profiles', `${scenario.name}.cpuprofile`);
  await servers.call('profile-start');
  await runLoad(
    servers.info.urls[scenario.server],
    scenario.steps,
    settings.durationSeconds,
    settings.connections,
  );
  return servers.call<ProfileSummary>('profile-stop', file);
}

const started = performance.now();
function log(message: string): void {
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
