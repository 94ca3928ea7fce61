// CPU profiles of the server process, taken in-process with the inspector (the same sampler and
// .cpuprofile format as `node --cpu-prof`), and where the time goes: self time per function and
// per area (an npm package, an app directory, I/O). Native code and Node internals are charged to
// the nearest caller outside Node ("writev ← sendDocument server/pages/…"), so an area says which
// package or module caused the time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session, type Profiler, type Runtime } from 'node:inspector/promises';
import { findSourceMap, type SourceMapping } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/project-root';

const session = new Session();
session.connect();

export async function startProfile(): Promise<void> {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

/** Stops the profile, writes it to `file` and summarizes it. */
export async function stopProfile(file: string) {
  const { profile } = await session.post('Profiler.stop');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  return { file: path.relative(PROJECT_ROOT, file), ...summarize(profile) };
}
export type ProfileSummary = Awaited<ReturnType<typeof stopProfile>>;

const V8_ENTRIES = new Set(['(garbage collector)', '(program)', '(root)']);
const IO_MODULES = /^node:(internal\/stream_base_commons|fs)$/;

function summarize({ nodes, samples = [], timeDeltas = [] }: Profiler.Profile) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parents = new Map(nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id] as const)));
  const [selfMs, byFunction, byArea] = [new Map<number, number>(), new Map(), new Map()];
  const add = <K>(map: Map<K, number>, key: K, ms: number) =>
    map.set(key, (map.get(key) ?? 0) + ms);
  samples.forEach((id, i) => add(selfMs, id, timeDeltas[i] / 1e3));
  for (const [id, ms] of selfMs) {
    const stack: Runtime.CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at))
      stack.push(byId.get(at)!.callFrame);
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

/** `name file:line`; for a file with a source map (tsx puts a file on one line), its source's. */
function label({ functionName, url, lineNumber, columnNumber }: Runtime.CallFrame): string {
  const at = findSourceMap(url)?.findEntry(lineNumber, columnNumber) ?? {
    originalLine: lineNumber,
  };
  const { originalSource = url, originalLine } = at as Partial<SourceMapping>;
  const line = originalLine === undefined ? '' : `:${originalLine + 1}`;
  return `${functionName || '(anonymous)'}${url ? ` ${shortUrl(originalSource)}${line}` : ''}`;
}

/** A file under node_modules/ from its package's directory, else from the project root. */
function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\/(.*\/node_modules\/)?/, '');
  return file.startsWith(PROJECT_ROOT) ? path.relative(PROJECT_ROOT, file) : file;
}

/** An npm package (`@scope/name` or `name`), or `app: server/<dir>`, for a frame outside Node. */
function areaOf({ url }: Runtime.CallFrame): string {
  const file = shortUrl(url);
  if (url.includes('/node_modules/')) return file.match(/^(@[^/]+\/)?[^/]+/)![0];
  return file.startsWith('server/') ? `app: ${file.split('/').slice(0, 2).join('/')}` : file;
}
