// What one `npm run bench` run does, and how long: set once from the environment.
//   BENCH_SMOKE=1        tiny durations, 1,000 sessions, no build (for the smoke test)
//   BENCH_DURATION=8     seconds measured per scenario (after a short warm-up)
//   BENCH_PROFILE=1      after measuring, CPU-profile the app scenarios (or a comma list of names)
//   BENCH_OUT=path.json  where the JSON goes (default bench/results/latest.json)
import path from 'node:path';

export const BENCH_DIR = __dirname;
export const PROJECT_DIR = path.resolve(__dirname, '..');

const smoke = process.env.BENCH_SMOKE === '1';

export const settings = {
  smoke,
  /** Concurrent keep-alive connections the load generator keeps busy. */
  connections: 10,
  warmupSeconds: smoke ? 0 : 1,
  durationSeconds: Number(process.env.BENCH_DURATION ?? (smoke ? 0.3 : 8)),
  /** Sessions (each with a 3-line cart) created to measure RSS per session. */
  sessions: smoke ? 1_000 : 100_000,
  startupRuns: smoke ? 1 : 3,
  /** Start-up is timed on the compiled server (`npm run build`); the smoke run uses tsx instead. */
  build: !smoke,
  profile: process.env.BENCH_PROFILE ?? '',
  out: path.resolve(PROJECT_DIR, process.env.BENCH_OUT ?? 'bench/results/latest.json'),
};

/** SKUs with stock ≥ 100, so the per-line cap (10) is the only limit a bench can hit. */
export const SKUS = ['SC-NAT-100', 'CL-SLV-100', 'RV-RBW-100'] as const;

/** A fixed secret, as in production (NODE_ENV=production requires one). */
export const BENCH_SECRET = 'bench-secret-0123456789abcdef';

/** The load generator is one client: abuse limits it never reaches (they would measure 429s). */
export const BENCH_LIMITS = {
  RATE_LIMIT_POSTS: '1000000',
  RATE_LIMIT_LINKS: '1000000',
  RATE_LIMIT_REPORTS: '1000000',
};
