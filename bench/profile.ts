// CPU profiles of the server process, taken in-process with the inspector (the same sampler and
// .cpuprofile format as `node --cpu-prof`), and where the time goes: self time per function and
// per area (an npm package, an app directory, I/O). Native code and Node internals are charged to
// the nearest caller outside Node ("writev ← sendDocument server/pages/…"), so an area says which
// package or module caused the time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session, type Profiler, type Runtime } from 'node:inspector';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../server/project-root';

const session = new Session();
session.connect();
const post = promisify(session.post.bind(session)) as (method: string, params?: object) => unknown;

export async function startProfile(): Promise<void> {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
}

/** Stops the profile, writes it to `file` and summarizes it. */
export async function stopProfile(file: string) {
  const { profile } = (await post('Profiler.stop')) as Profiler.StopReturnType;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  return { file: path.relative(PROJECT_ROOT, file), ...summarize(profile) };
}
export type ProfileSummary = Awaited<ReturnType<typeof stopProfile>>;

const V8_ENTRIES = new Set(['(garbage collector)', '(program)', '(root)']);
const IO_MODULES = /^node:(internal\/stream_base_commons|fs)$/;

function summarize(profile: Profiler.Profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const selfMs = new Map<number, number>();
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const add = (map: Map<number | string, number>, key: number | string, ms: number) =>
    map.set(key, (map.get(key) ?? 0) + ms);
  (profile.samples ?? []).forEach((id, i) => add(selfMs, id, (profile.timeDeltas?.[i] ?? 0) / 1e3));
  for (const [id, ms] of selfMs) {
    const stack: Runtime.CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at))
      stack.push(nodes.get(at)!.callFrame);
    const [frame] = stack;
    // Idle time and the profiler's own work are not the server's.
    if (frame.functionName === '(idle)' || stack.some((f) => f.url.endsWith('/bench/profile.ts')))
      continue;
    const nearest = stack.find((f) => f.url);
    // The bench's own timer wraps every request: never name it as the cause.
    const cause = V8_ENTRIES.has(frame.functionName)
      ? undefined
      : stack.find((f) => f.url && !f.url.startsWith('node:') && !f.url.includes('/bench/'));
    const via = nearest && nearest !== frame && nearest !== cause ? ` ← ${label(nearest)}` : '';
    const name =
      cause && cause !== frame ? `${label(frame)}${via} ← ${label(cause)}` : label(frame);
    add(byFunction, name, ms);
    // System calls are the socket's or the disk's, whoever happened to call them.
    if (nearest && IO_MODULES.test(nearest.url))
      add(byArea, 'I/O system calls (socket writes, fs)', ms);
    else add(byArea, cause ? areaOf(cause) : frame.url ? 'node internals' : frame.functionName, ms);
  }
  const total = [...byArea.values()].reduce((sum, ms) => sum + ms, 0);
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, ms]) => ({ name, selfPct: Math.round((1000 * ms) / total) / 10 }));
  return { areas: top(byArea), functions: top(byFunction) };
}

function label(frame: Runtime.CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : name;
}

function shortUrl(url: string): string {
  const local = url.replace(/^file:\/\//, '');
  const inModules = local.lastIndexOf('/node_modules/');
  if (inModules >= 0) return local.slice(inModules + '/node_modules/'.length);
  return local.startsWith(PROJECT_ROOT) ? path.relative(PROJECT_ROOT, local) : local;
}

/** An npm package, or `app: server/<dir>`, for a frame outside Node. */
function areaOf(frame: Runtime.CallFrame): string {
  const short = shortUrl(frame.url);
  if (frame.url.includes('/node_modules/')) {
    const parts = short.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return short.startsWith('server/') ? `app: ${short.split('/').slice(0, 2).join('/')}` : short;
}
