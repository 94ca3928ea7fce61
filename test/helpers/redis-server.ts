// A real redis-server for the Redis tests. Each test file starts its own, as a child process on a
// free loopback port, so tests share no state and a test can stop, pause or restart "the Redis"
// while the shop runs. `.ci/run` installs the Debian package; where redis-server is missing the
// tests are skipped with a loud message, except on CI (CI=true), where that is a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

const BINARY = 'redis-server';
const START_TIMEOUT_MS = 5000;

export function redisServerInstalled(): boolean {
  return spawnSync(BINARY, ['--version']).status === 0;
}

/** `describe` when redis-server is installed; otherwise a loud skip, or a failure on CI. */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerInstalled()) {
    describe(name, body);
    return;
  }
  const why = `${BINARY} is not installed (apt-get install -y redis-server; .ci/run does it)`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a real Redis', () => {
        throw new Error(`${why}: the Redis tests cannot run on CI without it.`);
      });
    });
    return;
  }
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPED: ${name}\n!! ${why}\n${'!'.repeat(78)}\n`);
  describe.skip(name, body);
}

export interface RedisServerOptions {
  /** Append-only file, fsynced on every write: data survives a restart (as in production). */
  persistent?: boolean;
}

export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'bestclips-redis-'));
    const server = new RedisServer(await freePort(), dir, options);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops the server (SIGKILL: as sudden as a crash; SIGTERM: a clean shutdown). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  /** Starts it again on the same port (and, when persistent, with the same data). */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Freezes the process (SIGSTOP): connections stay open, nothing answers — a "slow" Redis. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async dispose(): Promise<void> {
    this.resume();
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const persistence = this.options.persistent
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''];
    args.push(...persistence, '--dir', this.dir, '--daemonize', 'no');
    const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const watch = (chunk: Buffer) => {
        output += String(chunk);
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', watch);
      child.stderr?.on('data', watch);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
    });
    await ready;
  }
}
