// Child processes that answer commands over IPC. The parent forks a TypeScript file (run by tsx),
// waits for its `ready` message, then calls commands: {id, cmd, arg} → {id, result | error}.
import { fork, type ChildProcess } from 'node:child_process';
import { PROJECT_DIR } from './support';

type FromChild =
  | { type: 'ready'; info: unknown }
  | { type: 'result'; id: number; result?: unknown; error?: string };

export interface RpcChild<Info> {
  process: ChildProcess;
  info: Info;
  call<T>(cmd: string, arg?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Forks `file` with tsx (plus any Node flags) and resolves once the child says it is ready. */
export async function forkChild<Info>(
  file: string,
  nodeFlags: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<RpcChild<Info>> {
  // The shop logs a JSON line per request to stdout, as in production: discarded here.
  const child = fork(file, [], {
    cwd: PROJECT_DIR,
    execArgv: ['--import', 'tsx', ...nodeFlags],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<Info>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
    child.on('message', (message: FromChild) => {
      if (message.type === 'ready') return resolve(message.info as Info);
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(message.error));
      else call?.resolve(message.result);
    });
  });
  child.on('exit', () => pending.forEach((call) => call.reject(new Error(`${file} exited`))));
  return {
    process: child,
    info,
    call: <T>(cmd: string, arg?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, arg });
      }),
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** In the child: announce readiness and answer the parent's commands with `handlers`. */
export function serveRpc(info: unknown, handlers: Record<string, (arg: unknown) => unknown>): void {
  const send = (message: FromChild) => process.send?.(message);
  process.on('message', async (message: { id: number; cmd: string; arg?: unknown }) => {
    try {
      const handler = handlers[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      send({ type: 'result', id: message.id, result: await handler(message.arg) });
    } catch (error) {
      send({ type: 'result', id: message.id, error: String((error as Error).stack ?? error) });
    }
  });
  // The parent going away (or closing the channel) ends the child too.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', info });
}
