// `npm run bench` (issue 9): start-up time, then the shop and both baselines under load in the same
// run, page weights, RSS per session; a table, the targets, and JSON for comparisons over time.
// The servers run in a child process, the load generator (autocannon) here: on 2 cores each gets
// about one, so raw node:http may be limited by the generator (see the gen cpu column).
import os from 'node:os';
import path from 'node:path';
import { forkChild, type RpcChild } from './child-rpc';
import type { ProfileSummary } from './cpu-profile';
import { runLoad } from './load';
import { pageWeights, type PageWeight } from './page-weights';
import { freePorts } from './ports';
import {
  formatReport,
  machine,
  treeVersion,
  writeJson,
  type BenchReport,
  type ScenarioResult,
} from './report';
import { measureRssPerSession } from './rss';
import { FLOW_STEPS, scenarios, type Scenario } from './scenarios';
import type { ServersInfo, ServerStats } from './servers';
import { mintShopper, mintShoppers } from './sessions';
import { BENCH_DIR, BENCH_LIMITS, BENCH_SECRET, SKUS, settings } from './settings';
import { measureStartup } from './startup';
import { checkTargets } from './targets';

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const loadAverageAtStart = os.loadavg()[0];
  const tree = treeVersion();
  log(
    `bench: ${os.cpus().length} CPUs, Node ${process.version}${settings.smoke ? ' (smoke)' : ''}`,
  );
  // A phase that fails (the tree changed under us, a port was taken…) is reported, not fatal:
  // the other phases still run and print.
  const failures: BenchReport['failures'] = [];
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    log(`${name}…`);
    try {
      return await run();
    } catch (error) {
      failures.push({ phase: name, error: String((error as Error).stack ?? error) });
      log(`${name} FAILED: ${String(error)}`);
      return undefined;
    }
  };

  // First, while nothing else runs: start-up time.
  const startup = await phase('start-up time', () =>
    measureStartup(settings.startupRuns, settings.build),
  );

  let measured: ScenarioResult[] = [];
  let weights: PageWeight[] | undefined;
  const profiles: Record<string, ProfileSummary> = {};
  const servers = await phase('starting the servers', startServers);
  if (servers) {
    try {
      const shoppers = await phase('making returning shoppers', async () => ({
        withCart: await mintShopper(servers.info, SKUS),
        pool: await mintShoppers(servers.info, settings.connections * 2, SKUS),
      }));
      if (shoppers) {
        weights = await phase('page weights', () => pageWeights(servers.info, shoppers.withCart));
        const list = scenarios(servers.info, shoppers);
        measured = await measureAll(servers, list, phase);
        for (const scenario of list.filter((s) => wantsProfile(s))) {
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

  const rss = await phase(`RSS per session (${settings.sessions} sessions)`, () =>
    measureRssPerSession(settings.sessions),
  );

  const report: BenchReport = {
    date,
    tree,
    machine: machine(loadAverageAtStart),
    settings: {
      smoke: settings.smoke,
      connections: settings.connections,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.durationSeconds,
      sessions: settings.sessions,
      loadGenerator: 'autocannon (in the parent process; servers in a child process)',
    },
    scenarios: measured,
    startup,
    rssPerSession: rss,
    pageWeights: weights,
    targets: checkTargets(
      measured.map((s) => ({ ...s, flowServerP50Ms: s.flowServerTime?.p50 })),
      startup,
      rss,
      weights,
    ),
    failures,
    ...(Object.keys(profiles).length > 0 ? { profiles } : {}),
  };
  console.log(`\n${formatReport(report)}\n`);
  await writeJson(settings.out, report);
  console.log(`JSON: ${path.relative(process.cwd(), settings.out)}`);

  const bad = measured.filter((s) => s.load.badAnswers + s.load.errors > 0);
  for (const s of bad)
    console.error(`${s.label}: wrong answers, e.g. ${s.load.problems.join('; ')}`);
  if (rss && rss.badAnswers > 0) {
    console.error(`RSS run: ${rss.badAnswers} requests did not answer 200`);
  }
  for (const failure of failures) console.error(`${failure.phase} failed:\n${failure.error}`);
  if (bad.length > 0 || (rss?.badAnswers ?? 0) > 0 || failures.length > 0) process.exitCode = 1;
}

async function startServers(): Promise<RpcChild<ServersInfo>> {
  const [port, cachePort] = await freePorts(2);
  return forkChild<ServersInfo>(path.join(BENCH_DIR, 'servers.ts'), [], {
    NODE_ENV: 'production',
    SESSION_SECRET: BENCH_SECRET,
    PORT: String(port),
    CACHE_PORT: String(cachePort),
    ...BENCH_LIMITS,
  });
}

/** Each scenario in turn: a warm-up, then the measured run with fresh server-side counters. */
async function measureAll(
  servers: RpcChild<ServersInfo>,
  list: Scenario[],
  phase: <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of list) {
    const result = await phase(scenario.label, () => measureOne(servers, scenario));
    if (result) results.push(result);
  }
  // Ratios once both baselines are in (NaN when a baseline could not be measured).
  const rate = (name: string) =>
    results.find((r) => r.name === name)?.load.requestsPerSecond ?? NaN;
  for (const result of results) {
    result.vsRaw = result.load.requestsPerSecond / rate('raw');
    result.vsBare = result.load.requestsPerSecond / rate('bare');
  }
  return results;
}

async function measureOne(
  servers: RpcChild<ServersInfo>,
  scenario: Scenario,
): Promise<ScenarioResult> {
  const url = servers.info.urls[scenario.server];
  if (settings.warmupSeconds > 0) {
    await runLoad(url, scenario.steps, settings.warmupSeconds, settings.connections);
  }
  await servers.call('reset');
  const cpu = process.cpuUsage();
  const load = await runLoad(url, scenario.steps, settings.durationSeconds, settings.connections);
  const clientCpu = process.cpuUsage(cpu);
  const stats = await servers.call<ServerStats>('stats', FLOW_STEPS);
  const timer = stats.timers[scenario.server];
  return {
    name: scenario.name,
    label: scenario.label,
    server: scenario.server,
    load,
    serverTime: timer.requests,
    ...(scenario.name === 'flow' ? { flowServerTime: timer.flows } : {}),
    serverCpuPercent: stats.cpuPercent,
    clientCpuPercent: (clientCpu.user + clientCpu.system) / 10 / load.seconds / 1000,
    vsRaw: NaN,
    vsBare: NaN,
  };
}

/** BENCH_PROFILE=1 profiles every shop scenario; or a comma list of scenario names. */
function wantsProfile(scenario: Scenario): boolean {
  if (!settings.profile) return false;
  if (settings.profile === '1') return scenario.server === 'origin' || scenario.server === 'cache';
  return settings.profile.split(',').includes(scenario.name);
}

async function profile(servers: RpcChild<ServersInfo>, scenario: Scenario) {
  const file = path.join(BENCH_DIR, 'results', 'profiles', `${scenario.name}.cpuprofile`);
  await servers.call('profile-start');
  const url = servers.info.urls[scenario.server];
  await runLoad(url, scenario.steps, settings.durationSeconds, settings.connections);
  return servers.call<ProfileSummary>('profile-stop', file);
}

const started = performance.now();

function log(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`[${seconds} s] ${message}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
