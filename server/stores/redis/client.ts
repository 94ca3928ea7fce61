// The one Redis connection an instance shares between sessions, carts and nonces, set up to fail
// fast rather than hang: nothing queues while the connection is down (a request gets its 503 at
// once), a command waits at most `commandMs` for its answer (see `withDeadlines`), and the client
// reconnects by itself with a capped exponential backoff. Connection changes are logged once each.
import {
  AbortError,
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  DisconnectsClientError,
  ErrorReply,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';
import type { Logger } from '../../logger';
import { cartScripts } from './cart-scripts';
import { messageScripts } from './message-scripts';
import { orderScripts } from './order-scripts';
import { rateLimitScripts } from './rate-limit-scripts';

export const REDIS_TIMEOUTS = {
  /** One attempt to open the connection. */
  connectMs: 1000,
  /** One command, from asking to the answer (a healthy Redis answers in well under 1 ms). */
  commandMs: 1000,
  /** Reconnect attempts wait 100 ms, 200 ms, 400 ms … at most this long (plus up to 100 ms). */
  maxBackoffMs: 2000,
};

export function createRedisClient(url: string, logger: Logger) {
  const client = createClient({
    url,
    scripts: { ...cartScripts, ...messageScripts, ...orderScripts, ...rateLimitScripts },
    disableOfflineQueue: true,
    // node-redis drops a command not yet written to the socket after this long (so it is never
    // sent late); `withDeadlines` bounds the wait for the answer of one already written.
    commandOptions: { timeout: REDIS_TIMEOUTS.commandMs },
    socket: { connectTimeout: REDIS_TIMEOUTS.connectMs, reconnectStrategy: reconnectDelay },
  });
  logConnectionChanges(client, logger, new URL(url).host);
  return client;
}

export type ShopRedisClient = ReturnType<typeof createRedisClient>;

export class RedisTooSlowError extends Error {}

/**
 * The client as the stores use it: every call that returns a promise (a command, a script)
 * settles within `commandMs`, or fails with RedisTooSlowError. node-redis itself waits for the
 * answer to a written command as long as the connection stays open, e.g. on a frozen Redis.
 * (A change that timed out may still be applied when Redis wakes: its 503 means "unknown".)
 */
export function withDeadlines<Client extends object>(client: Client): Client {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        return result instanceof Promise ? withinDeadline(result) : result;
      };
    },
  });
}

async function withinDeadline<T>(answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ms = REDIS_TIMEOUTS.commandMs;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RedisTooSlowError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Never gives up: a shop without its store answers 503 until Redis is back. */
export function reconnectDelay(retries: number): number {
  const backoff = Math.min(100 * 2 ** retries, REDIS_TIMEOUTS.maxBackoffMs);
  return backoff + Math.floor(Math.random() * 100);
}

/**
 * Starts connecting and waits for the first outcome only: connected, or a first failure after
 * which the client keeps retrying in the background (the instance starts, and /readyz says 503).
 */
export async function connectInBackground(client: ShopRedisClient): Promise<void> {
  const firstOutcome = new Promise<void>((resolve) => {
    client.once('ready', resolve);
    client.once('error', () => resolve());
  });
  // connect() only rejects if the client is closed while it is still retrying.
  client.connect().catch(() => undefined);
  await firstOutcome;
}

/** For /readyz: connected, and a PING comes back within the command timeout. */
export async function redisAnswers(client: ShopRedisClient): Promise<boolean> {
  if (!client.isReady) return false;
  try {
    await withDeadlines(client).ping();
    return true;
  } catch {
    return false;
  }
}

export async function closeRedisClient(client: ShopRedisClient): Promise<void> {
  if (!client.isOpen) return;
  // close() lets commands in flight finish; a Redis that is down has none to wait for.
  if (client.isReady) await client.close();
  else client.destroy();
}

const UNAVAILABLE = [
  AbortError,
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  ErrorReply,
  ReconnectStrategyError,
  RedisTooSlowError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
];

// What a command in flight fails with when Redis dies under it: node-redis passes the socket's own
// error on (`read ECONNRESET`, `write EPIPE`, …), not one of its classes.
const CONNECTION_LOST = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
]);

/** Redis did not answer (down, slow, restarting, out of memory): the request gets a 503. */
export function isRedisFailure(error: unknown): boolean {
  if (UNAVAILABLE.some((kind) => error instanceof kind)) return true;
  // Not `instanceof Error`: the socket's errors may come from another realm (Node's internals).
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && CONNECTION_LOST.has(code);
}

function logConnectionChanges(client: ShopRedisClient, logger: Logger, host: string): void {
  let connected = false;
  let down = false;
  client.on('ready', () => {
    logger.info({ redis: host }, connected ? 'Redis is back' : 'Redis connected');
    connected = true;
    down = false;
  });
  // node-redis emits an error for every failed attempt while reconnecting: say it once.
  client.on('error', (error: Error) => {
    if (down) {
      logger.debug({ redis: host, error: error.message }, 'Redis still unavailable');
      return;
    }
    logger.error(
      { redis: host, error: error.message },
      'Redis unavailable: answering 503 until it is back; reconnecting',
    );
    down = true;
  });
}
