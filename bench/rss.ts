// RSS per session: start the shop in its own process, warm it up, measure after GC, create the
// sessions (autocannon, from this process), measure again. Growth ÷ new sessions = bytes each.
import autocannon from 'autocannon';
import path from 'node:path';
import { ampCartPost } from './amp-form';
import { forkChild } from './child-rpc';
import { freePorts } from './ports';
import type { MemoryReading } from './rss-server';
import { BENCH_DIR, BENCH_LIMITS, BENCH_SECRET, SKUS } from './settings';

export interface RssResult {
  sessionsCreated: number;
  rssBytesPerSession: number;
  /** Live objects per session after GC: what the session and its cart really take. */
  heapBytesPerSession: number;
  /** V8 heap pages held per session (live objects plus the free space between them). */
  heapCommittedBytesPerSession: number;
  before: MemoryReading;
  after: MemoryReading;
  seconds: number;
  /** Requests that did not answer 200 (each should have made a session). */
  badAnswers: number;
}

const WARM_UP_SESSIONS = 1_000;

export async function measureRssPerSession(sessions: number): Promise<RssResult> {
  const [port] = await freePorts(1);
  const publicOrigin = `http://localhost:${port}`;
  const child = await forkChild<object>(
    path.join(BENCH_DIR, 'rss-server.ts'),
    ['--expose-gc', '--max-old-space-size=8192'],
    {
      PORT: String(port),
      CACHE: 'off',
      NODE_ENV: 'production',
      SESSION_SECRET: BENCH_SECRET,
      ...BENCH_LIMITS,
    },
  );
  try {
    const post = ampCartPost({ op: 'add', sku: SKUS[0], quantity: 1 }, 'origin', {
      publicOrigin,
      cacheOrigin: publicOrigin,
    });
    const create = (amount: number) =>
      autocannon({
        url: `http://127.0.0.1:${port}${post.path}`,
        connections: 10,
        amount,
        method: 'POST',
        headers: post.headers,
        body: post.body,
      });
    await create(WARM_UP_SESSIONS);
    const before = await child.call<MemoryReading>('measure');
    const started = performance.now();
    const run = await create(sessions);
    const seconds = (performance.now() - started) / 1000;
    const after = await child.call<MemoryReading>('measure');
    // The stores hold at most 100,000 visitors: count what they actually gained.
    const created = after.sessions - before.sessions;
    return {
      sessionsCreated: created,
      rssBytesPerSession: (after.rss - before.rss) / created,
      heapBytesPerSession: (after.heapUsed - before.heapUsed) / created,
      heapCommittedBytesPerSession: (after.heapTotal - before.heapTotal) / created,
      before,
      after,
      seconds,
      badAnswers: run.non2xx + run.errors,
    };
  } finally {
    await child.close();
  }
}
