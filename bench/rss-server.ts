// The RSS-per-session server (forked with --expose-gc): the shop alone, the real app and stores.
// Sessions are made over HTTP, as in production, by a POST from an origin page without a cookie
// (a new session and its first cart line); the listener then adds two more lines in-process, so
// each session has a 3-line cart without two more round trips. `measure` collects garbage and
// reports memory.
import { once } from 'node:events';
import http from 'node:http';
import { createShop } from '../server/app';
import { loadConfig } from '../server/config';
import { serveRpc } from './child-rpc';
import { SKUS } from './settings';

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  /** Heap the process holds (used plus free space inside V8's pages): the part of RSS V8 owns. */
  heapTotal: number;
  external: number;
  sessions: number;
  carts: number;
  /** True when a stored session object still references the request that created it. */
  storedSessionHoldsRequest: boolean;
}

async function main(): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  const shop = await createShop(loadConfig(process.env));
  let lastSessionId = '';
  const server = http.createServer((req, res) => {
    res.once('finish', () => {
      const sessionId = (req as http.IncomingMessage & { sessionID?: string }).sessionID;
      if (res.statusCode !== 200 || !sessionId) return;
      lastSessionId = sessionId;
      for (const sku of SKUS.slice(1))
        void shop.carts.apply(sessionId, { op: 'add', sku, quantity: 1 });
    });
    shop.app(req, res);
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  await once(server, 'listening');

  serveRpc(
    {},
    {
      measure: async (): Promise<MemoryReading> => {
        for (let i = 0; i < 3; i++) {
          gc();
          await new Promise((resolve) => setImmediate(resolve));
        }
        const memory = process.memoryUsage();
        return {
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          heapTotal: memory.heapTotal,
          external: memory.external,
          sessions: shop.memory!.sessions.size,
          carts: shop.memory!.carts.size,
          storedSessionHoldsRequest: await holdsRequest(shop.sessionStore, lastSessionId),
        };
      },
    },
  );
}

function holdsRequest(
  store: { get: (id: string, cb: (e: unknown, s?: unknown) => void) => void },
  id: string,
) {
  return new Promise<boolean>((resolve) =>
    store.get(id, (_error, session) =>
      resolve(Boolean(session && (session as { req?: unknown }).req)),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
