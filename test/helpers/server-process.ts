// The real entry point (server/index.ts) in a child process of its own, for tests about signals,
// exit codes and what the process writes to stdout. tsx is loaded into that one process (`node
// --import tsx`), not run as its CLI, which would put the server in a grandchild that a SIGKILL
// to the child never reaches.
import { spawn, type ChildProcess } from 'node:child_process';
import { fromRoot } from '../../server/project-root';
import { freePorts } from './ports';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Everything written to stdout and stderr so far. */
  output: string[];
  /** The exit code, once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts the server and waits (up to 10 s) for `readyLine` in its output, or for it to exit. */
export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  readyLine = 'Local AMP cache is running',
): Promise<ServerProcess> {
  const [port, cachePort] = await freePorts();
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('server', 'index.ts')], {
    cwd: fromRoot(),
    env: { ...process.env, PORT: String(port), CACHE_PORT: String(cachePort), ...env },
  });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  let running = true;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      running = false;
      done(code);
    }),
  );
  for (let i = 0; i < 200 && running && !output.join('').includes(readyLine); i++) {
    await new Promise((done) => setTimeout(done, 50));
  }
  return { child, port, output, exited };
}
