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

export interface LoadResult {
  seconds: number;
  responses: number;
  requestsPerSecond: number;
  /** Client-side latency (includes queueing behind the other connections), ms. */
  latencyP50: number;
  latencyP99: number;
  /** Answers that failed their check, connection errors, timeouts, restarted sequences. */
  badAnswers: number;
  errors: number;
  /** A few examples of bad answers, to say what went wrong. */
  problems: string[];
}

export async function runLoad(
  url: string,
  steps: Step[],
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const tally = { good: 0, bad: 0, problems: new Set<string>() };
  const requests: autocannon.Request[] = steps.map((step) => ({
    method: step.method ?? 'GET',
    path: step.path,
    headers: step.headers,
    body: step.body,
    // autocannon calls setupRequest if the key exists at all: only set it when there is one.
    ...(step.setup ? { setupRequest: setupWith(step.setup) } : {}),
    onResponse: (status, body, context, headers) => {
      const problem = step.check(
        { status, body, headers: lowerCase(headers) },
        context as SequenceContext,
      );
      if (problem === undefined) {
        tally.good++;
      } else {
        tally.bad++;
        if (tally.problems.size < 5) tally.problems.add(problem);
      }
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
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    badAnswers: tally.bad + result.resets,
    errors: result.errors + result.timeouts,
    problems: [...tally.problems],
  };
}

function setupWith(setup: NonNullable<Step['setup']>) {
  return (req: autocannon.Request, context: object): autocannon.Request => {
    const extra = setup(context as SequenceContext);
    // autocannon restarts the sequence when setupRequest returns nothing.
    if (!extra) return null as unknown as autocannon.Request;
    return { ...req, ...extra, headers: { ...req.headers, ...extra.headers } };
  };
}

function lowerCase(headers: autocannon.Request['headers']): IncomingHttpHeaders {
  const lower: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = value;
  return lower;
}
