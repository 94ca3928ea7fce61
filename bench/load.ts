// Runs a scenario with autocannon in this process (the servers run in a child) and checks every
// answer: a bench of error pages would measure nothing, so each step says what a good answer is,
// and the run reports how many were not. Server time, CPU and store entries come from the child.
import autocannon from 'autocannon';
import type { Scenario, SequenceContext, Step } from './scenarios';
import type { CaptureRequest, ServerStats } from './servers';
import { settings, type ServerName, type Servers } from './support';

export async function runLoad(servers: Servers, scenario: Scenario, seconds: number) {
  const tally = { good: 0, bad: 0, problems: new Set<string>() };
  const requests = scenario.steps.map(({ setup, check, ...request }): autocannon.Request => ({
    ...request,
    method: request.method ?? 'GET',
    // autocannon calls setupRequest if the key exists at all: only set it when there is one.
    ...(setup && {
      setupRequest: (req, ctx) => {
        const extra = setup(ctx as SequenceContext);
        // Nothing: autocannon restarts the sequence.
        if (!extra) return null as unknown as autocannon.Request;
        return { ...req, ...extra, headers: { ...req.headers, ...extra.headers } };
      },
    }),
    onResponse: (status, body, ctx, headers = {}) => {
      const lower = Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]);
      const answer = { status, body, headers: Object.fromEntries(lower) };
      const problem = check(answer, ctx as SequenceContext);
      if (problem === undefined) return void tally.good++;
      tally.bad++;
      if (tally.problems.size < 5) tally.problems.add(problem);
    },
  }));
  const result = await autocannon({
    url: servers.info.urls[scenario.server],
    connections: scenario.connections ?? settings.connections,
    duration: seconds,
    // autocannon checks for the end of the run at each sample tick (default 1 s): tick often.
    sampleInt: 100,
    requests,
  });
  const responses = tally.good + tally.bad;
  return {
    seconds: result.duration,
    responses,
    requestsPerSecond: responses / result.duration,
    /** Latency at the load generator (with queueing behind the other connections), ms. */
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    /** Answers that failed their check, connection resets, restarted sequences. */
    badAnswers: tally.bad + result.resets,
    errors: result.errors + result.timeouts,
    problems: [...tally.problems],
  };
}

/** The shop's answer to a step's request (as sent), kept for the yardsticks at `/<name>`. */
export async function capture(servers: Servers, name: string, server: ServerName, step: Step) {
  const { setup, check, ...request } = step;
  const sent = { ...request, ...setup?.({}) };
  const captured: CaptureRequest = { name, server, ...sent };
  return { sent, headers: await servers.call<Record<string, string>>('capture', captured) };
}

// One scenario. One compared with bare Express runs in two rounds of half the time, alternating
// with bare Express answering its captured answer to the same request: a change in the machine's
// load (other work on shared cores) then hits both sides alike. Its req/s are over both rounds.
export async function measure(servers: Servers, scenario: Scenario): Promise<ScenarioResult> {
  const { name, server, vsBare } = scenario;
  const [step] = scenario.steps;
  if (vsBare === undefined) return measureOne(servers, scenario, settings.durationSeconds);
  const { sent } = await capture(servers, name, server, step);
  const steps = [{ ...sent, path: `/${name}`, check: step.check }];
  const bare: Scenario = { name: `${name}@bare`, server: 'bare', label: 'bare Express', steps };
  const [shop, yardstick]: ScenarioResult[][] = [[], []];
  for (let round = 0; round < 2; round++) {
    shop.push(await measureOne(servers, scenario, settings.durationSeconds / 2));
    yardstick.push(await measureOne(servers, bare, settings.durationSeconds / 2));
  }
  const rate = ([a, b]: ScenarioResult[]) =>
    (a.load.responses + b.load.responses) / (a.load.seconds + b.load.seconds);
  const load = { ...shop[1].load, requestsPerSecond: rate(shop) };
  return { ...shop[1], load, bare: rate(yardstick) };
}

/** A warm-up, then the measured run with fresh server-side counters. */
async function measureOne(servers: Servers, scenario: Scenario, seconds: number) {
  if (settings.warmupSeconds > 0) await runLoad(servers, scenario, settings.warmupSeconds);
  await servers.call('stats', scenario.server); // counting from here
  const cpu = process.cpuUsage();
  const load = await runLoad(servers, scenario, seconds);
  const clientCpu = process.cpuUsage(cpu);
  const stats = await servers.call<ServerStats>('stats', scenario.server);
  const { steps, ...row } = scenario; // its name, label and targets (steps are no result)
  return {
    ...row,
    load,
    /** Server time per request and per whole sequence (the flow), ms. */
    serverTime: stats.serverTime,
    /** Sessions the store gained, per request answered. */
    storeEntriesPerRequest: stats.sessionsStored / load.responses,
    serverCpuPercent: stats.cpuPercent,
    clientCpuPercent: (clientCpu.user + clientCpu.system) / 10 / load.seconds / 1000,
  };
}
/** With, for a scenario compared with it, bare Express's req/s answering the same answer. */
export type ScenarioResult = Awaited<ReturnType<typeof measureOne>> & { bare?: number };
