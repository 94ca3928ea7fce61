// Runs one scenario with autocannon in this process (the servers run in another) and checks every
// answer: a bench of error pages would measure nothing, so each step says what a good answer is,
// and the run reports how many were not.
import autocannon from 'autocannon';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpRequest } from './support';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** State shared by the steps of one sequence (fresh for each sequence). */
export type SequenceContext = Record<string, string>;

export interface Step extends HttpRequest {
  /** Builds this step's request at send time; undefined restarts the sequence (counted). */
  setup?: (ctx: SequenceContext) => Partial<HttpRequest> | undefined;
  /** Undefined for a good answer, else what was wrong. May record values in `ctx` for later steps. */
  check: (answer: Answer, ctx: SequenceContext) => string | undefined;
}

export async function runLoad(url: string, steps: Step[], seconds: number, connections: number) {
  const tally = { good: 0, bad: 0, problems: new Set<string>() };
  const requests = steps.map(({ setup, check, ...request }): autocannon.Request => ({
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
      const lower = Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const problem = check({ status, body, headers: lower }, ctx as SequenceContext);
      if (problem === undefined) return void tally.good++;
      tally.bad++;
      if (tally.problems.size < 5) tally.problems.add(problem);
    },
  }));
  // autocannon checks for the end of the run at each sample tick (default 1 s): tick often.
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
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
    /** A few examples of bad answers. */
    problems: [...tally.problems],
  };
}
export type LoadResult = Awaited<ReturnType<typeof runLoad>>;
