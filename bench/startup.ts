// Start-up time: from spawning `node dist/server/index.js` (after `npm run build`) until the
// first 200 on the home page, polled every 5 ms. Node's own start-up (`node -e 0`) is given for
// scale. The smoke run skips the build and times `tsx server/index.ts` instead.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { httpRequest } from './http-client';
import { freePorts } from './ports';
import { BENCH_SECRET, PROJECT_DIR } from './settings';
import { median } from './stats';

export interface StartupResult {
  command: string;
  runsMs: number[];
  medianMs: number;
  nodeAloneMs: number;
  buildMs?: number;
}

export async function measureStartup(runs: number, build: boolean): Promise<StartupResult> {
  let buildMs: number | undefined;
  let args = ['--import', 'tsx', 'server/index.ts'];
  if (build) {
    const start = performance.now();
    const tsc = require.resolve('typescript/bin/tsc');
    const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: PROJECT_DIR,
      encoding: 'utf8',
    });
    if (built.status !== 0)
      throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
    buildMs = performance.now() - start;
    args = [path.join('dist', 'server', 'index.js')];
  }
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push(await timeToFirst200(args));
  return {
    command: `node ${args.join(' ')}`,
    runsMs,
    medianMs: median(runsMs),
    nodeAloneMs: timeNodeAlone(),
    buildMs,
  };
}

async function timeToFirst200(args: string[]): Promise<number> {
  const [port, cachePort] = await freePorts(2);
  const start = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_DIR,
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: BENCH_SECRET,
      PORT: String(port),
      CACHE_PORT: String(cachePort),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
      if (performance.now() - start > 30_000) throw new Error('no 200 within 30 s');
      const answer = await httpRequest(`http://127.0.0.1:${port}/`).catch(() => undefined);
      if (answer?.status === 200) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function timeNodeAlone(): number {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - start;
}
