// `npm run bench` (docs/performance.md): start-up with either catalog; every scenario of the table
// under load, and bare Express answering the same captured answer where a scenario is compared
// with it; page weights; RSS per carted session. Prints a table and the targets, writes JSON, and
// CPU-profiles every scenario that missed its target. Servers run in a child process, the load
// generator (autocannon) here.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../server/project-root';
import { writeCatalog } from '../scripts/generate-catalog';
import { capture, measure, runLoad, type Servers } from './load';
import { measureRssPerSession, measureStartup, pageWeights } from './measures';
import type { ProfileSummary } from './profile';
import { buildReport, checkTargets, formatReport, type Results } from './report';
import { PRODUCT_PAGE, scenarios, type Scenario } from './scenarios';
import type { ServersInfo } from './servers';
import { BIG_CATALOG_FILE, forkServers, freePorts, mintShopper, settings } from './support';

const results: Results = { scenarios: [], profiles: {}, failures: [] };
const started = performance.now();
const log = (message: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

/** A phase that fails is reported, not fatal: the other phases still run and print. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  log(`${name}…`);
  try {
    return await run();
  } catch (error) {
    results.failures.push({ phase: name, error: String((error as Error).stack ?? error) });
    log(`${name} FAILED: ${String(error)}`);
  }
}

async function main(): Promise<void> {
  const start = { date: new Date().toISOString(), loadAverage: os.loadavg()[0] };
  if (settings.smoke || !existsSync(BIG_CATALOG_FILE))
    writeCatalog(settings.bigCatalog, BIG_CATALOG_FILE);
  results.startup = await phase('start-up time', measureStartup);
  const servers = await phase('starting the servers', async () => {
    const [PORT, BIG_PORT, CACHE_PORT] = await freePorts(3);
    return forkServers<ServersInfo>({ PORT, BIG_PORT, CACHE_PORT });
  });
  if (servers) await measureOnServers(servers).finally(servers.close);
  const sessions = `RSS per session (${settings.sessions} carted sessions)`;
  results.rssPerSession = await phase(sessions, measureRssPerSession);
  const report = buildReport(start, results);
  console.log(`\n${formatReport(report)}\n`);
  mkdirSync(path.dirname(settings.out), { recursive: true });
  writeFileSync(settings.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`JSON: ${path.relative(process.cwd(), settings.out)}`);
  const bad = results.scenarios.filter((s) => s.load.badAnswers + s.load.errors > 0);
  for (const s of bad)
    console.error(`${s.label}: wrong answers, e.g. ${s.load.problems.join('; ')}`);
  const rssBad = results.rssPerSession?.badAnswers;
  if (rssBad) console.error(`RSS run: ${rssBad} requests did not answer 200`);
  for (const f of results.failures) console.error(`${f.phase} failed:\n${f.error}`);
  if (bad.length > 0 || rssBad || results.failures.length > 0) process.exitCode = 1;
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
  results.pageWeights = await phase('page weights', async () =>
    pageWeights(info, shoppers.one, await mint()),
  );
  const table = scenarios(info, shoppers, product.headers.etag);
  for (const scenario of table) {
    const result = await phase(scenario.label, () => measure(servers, scenario));
    if (result) results.scenarios.push(result);
  }
  // Profiled: every scenario that missed a target; BENCH_PROFILE=1: every shop scenario, or a list.
  const missed = checkTargets(results).flatMap((t) => (t.pass ? [] : [t.scenario]));
  const listed = (s: Scenario) =>
    settings.profile === '1' ? s.server !== 'raw' : settings.profile.split(',').includes(s.name);
  for (const scenario of table.filter((s) => missed.includes(s.name) || listed(s))) {
    const summary = await phase(`profiling ${scenario.name}`, async () => {
      await servers.call('profile-start');
      await runLoad(servers, scenario, settings.durationSeconds);
      const file = fromRoot('bench', 'results', 'profiles', `${scenario.name}.cpuprofile`);
      return servers.call<ProfileSummary>('profile-stop', file);
    });
    if (summary) results.profiles[scenario.name] = summary;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
