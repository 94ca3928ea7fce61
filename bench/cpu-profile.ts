// CPU profiles of the server process, one per scenario, taken in-process with the inspector (the
// same V8 sampler and .cpuprofile format as `node --cpu-prof`), and a summary of where time goes:
// self time per function, and per area (an npm package, Node internals, the app's own modules).
import { writeFileSync } from 'node:fs';
import { Session, type Profiler, type Runtime } from 'node:inspector';
import path from 'node:path';
import { PROJECT_DIR } from './settings';

export interface ProfileSummary {
  file: string;
  /** Sampled time, without idle. */
  totalMs: number;
  functions: { name: string; selfPct: number }[];
  areas: { name: string; selfPct: number }[];
}

export class CpuProfiler {
  private readonly session = new Session();

  constructor() {
    this.session.connect();
  }

  async start(): Promise<void> {
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: 100 });
    await this.post('Profiler.start');
  }

  async stop(file: string): Promise<ProfileSummary> {
    const { profile } = (await this.post('Profiler.stop')) as Profiler.StopReturnType;
    writeFileSync(file, JSON.stringify(profile));
    return summarize(profile, file);
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  }
}

const TOP = 15;
const V8_ENTRIES = new Set(['(garbage collector)', '(program)', '(root)']);
const IO_MODULES = /^node:(internal\/stream_base_commons|fs)$/;

/**
 * Self time per function, and per area. Native code and Node internals are charged to the
 * nearest caller outside Node ("Buffer.from ← send express/lib/response.js:126"), so the areas
 * say which package or app module caused the time. The profiler's own work is left out.
 */
export function summarize(profile: Profiler.Profile, file: string): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const selfMs = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const stack = stackOf(id, nodes, parents);
    if (stack.some((f) => f.url.endsWith('/bench/cpu-profile.ts'))) continue;
    totalMs += ms;
    const nearest = stack.find((f) => f.url);
    // The bench's own timer wraps every request: never name it as the cause.
    const cause = V8_ENTRIES.has(frame.functionName)
      ? undefined
      : stack.find((f) => f.url && !f.url.startsWith('node:') && !f.url.includes('/bench/'));
    const via = nearest && nearest !== frame && nearest !== cause ? ` ← ${label(nearest)}` : '';
    const name =
      cause && cause !== frame ? `${label(frame)}${via} ← ${label(cause)}` : label(frame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    // System calls are the socket's or the disk's, whoever happened to call them.
    let area: string;
    if (nearest && IO_MODULES.test(nearest.url)) area = 'I/O system calls (socket writes, fs)';
    else if (cause) area = areaOf(cause);
    else area = frame.url ? 'node internals' : frame.functionName;
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
  }
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, ms]) => ({ name, selfPct: round1((100 * ms) / totalMs) }));
  return {
    file: path.relative(PROJECT_DIR, file),
    totalMs,
    functions: top(byFunction),
    areas: top(byArea),
  };
}

/** The call frames from a node up to the root. */
function stackOf(
  id: number,
  nodes: Map<number, Profiler.ProfileNode>,
  parents: Map<number, number>,
): Runtime.CallFrame[] {
  const stack: Runtime.CallFrame[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const node = nodes.get(at);
    if (node) stack.push(node.callFrame);
  }
  return stack;
}

function label(frame: Runtime.CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : name;
}

function shortUrl(url: string): string {
  const local = url.replace(/^file:\/\//, '');
  const inModules = local.lastIndexOf('/node_modules/');
  if (inModules >= 0) return local.slice(inModules + '/node_modules/'.length);
  return local.startsWith(PROJECT_DIR) ? path.relative(PROJECT_DIR, local) : local;
}

/** An npm package, or `app: server/<dir>`, for a frame outside Node. */
function areaOf(frame: Runtime.CallFrame): string {
  const short = shortUrl(frame.url);
  const local = frame.url.replace(/^file:\/\//, '');
  if (local.includes('/node_modules/')) {
    const parts = short.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (short.startsWith('server/')) return `app: ${short.split('/').slice(0, 2).join('/')}`;
  return short;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
