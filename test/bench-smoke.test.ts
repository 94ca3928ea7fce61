// `npm run bench` still starts, measures every scenario with correct answers, prints its table and
// writes its JSON: run in smoke mode (tiny loads, 1,000 sessions) as a child process. Speed is
// never asserted here; only that the bench works.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/project-root';

interface BenchJson {
  machine: { cpus: number; node: string };
  scenarios: { name: string; load: { responses: number; badAnswers: number; errors: number } }[];
  targets: { target: string; pass: boolean }[];
  rssPerSession: { sessionsCreated: number };
  startup: { catalog: string; medianMs: number }[];
  pageWeights: { page: string; identityBytes: number; brotliBytes: number }[];
}

function runBench(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_OUT: out },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench (smoke mode)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the table and the targets, and writes the JSON', async () => {
    const out = path.join(dir, 'results.json');
    const run = await runBench(out);
    expect(run.stderr).not.toMatch(/wrong answers|did not answer/);
    // On a failure, the bench's own log says which phase failed and why.
    expect({ code: run.code, log: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, log: '' });

    expect(run.stdout).toMatch(/scenario\s+req\/s\s+p50 ms\s+p99 ms/);
    for (const label of [
      'raw node:http',
      'product page (brotli)',
      'cart page',
      'cache→origin flow',
    ]) {
      expect(run.stdout).toContain(label);
    }
    expect(run.stdout).toContain('Targets:');
    expect(run.stdout).toMatch(/Start-up to first 200, shipped catalog: \d+ ms/);
    expect(run.stdout).toMatch(/Start-up to first 200, generated catalog: \d+ ms/);

    const json = JSON.parse(readFileSync(out, 'utf8')) as BenchJson;
    expect(json.machine.cpus).toBe(os.cpus().length);
    expect(json.machine.node).toBe(process.version);
    expect(json.scenarios.map((s) => s.name)).toEqual([
      'raw',
      'product',
      'listing',
      'product-304',
      'product-big',
      'product-big-first',
      'anonymous',
      'cart',
      'add-direct',
      'add-redirect',
      'flow',
      'cache-page',
    ]);
    for (const scenario of json.scenarios) {
      expect(scenario.load.responses).toBeGreaterThan(0);
      expect(scenario.load.badAnswers + scenario.load.errors).toBe(0);
    }
    expect(json.targets.length).toBeGreaterThanOrEqual(20);
    expect(json.rssPerSession.sessionsCreated).toBeGreaterThan(0);
    expect(json.startup.map((s) => s.catalog)).toEqual(['shipped', 'generated']);
    for (const weight of json.pageWeights) {
      expect(weight.brotliBytes).toBeGreaterThan(0);
      expect(weight.brotliBytes).toBeLessThan(weight.identityBytes);
    }
  }, 150_000);
});
