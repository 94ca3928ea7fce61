// The real BestClips servers on free ports: the origin on http://localhost:PORT and the local AMP
// cache on http://127.0.0.1:CACHE_PORT (another SITE, so the shop's cookie is third-party there).
import type { CartChange } from '../../server/cart/cart';
import { loadConfig } from '../../server/config';
import { startBestClips, type RunningBestClips } from '../../server/start';
import { freePorts } from '../../test/helpers/ports';

/** A cart change the server applied, as the server saw it (which session, what change). */
export interface AppliedChange {
  sessionId: string;
  change: CartChange;
}

export interface ServersUnderTest extends RunningBestClips {
  cacheUrl: string;
  /** Every successful cart change since the last `changes.length = 0`, in order. */
  changes: AppliedChange[];
  /** The local cache's URL for an origin path, e.g. `/products/superclip`. */
  cachePageUrl(path: string): string;
}

export async function startServers(): Promise<ServersUnderTest> {
  const [port, cachePort] = await freePorts();
  const running = await startBestClips(
    loadConfig({
      LOG_LEVEL: 'silent',
      PORT: String(port),
      CACHE_PORT: String(cachePort),
      SESSION_SECRET: 'e2e-session-secret-0123456789',
    }),
  );
  const { cacheUrl } = running;
  if (!cacheUrl) throw new Error('The local AMP cache did not start.');

  // Observe, server-side, which session each change really landed in: the browser's view of
  // request headers is not evidence of what the server received (docs/testing.md).
  const changes: AppliedChange[] = [];
  const carts = running.shop.carts;
  const apply = carts.apply.bind(carts);
  carts.apply = async (sessionId, change) => {
    const result = await apply(sessionId, change);
    if (result.ok) changes.push({ sessionId, change });
    return result;
  };

  const originHost = new URL(running.originUrl).host;
  return {
    ...running,
    cacheUrl,
    changes,
    cachePageUrl: (path) => `${cacheUrl}/c/${originHost}${path}`,
  };
}

/** The servers for one test file: started before its tests, closed after them. */
export function serversForThisFile(): () => ServersUnderTest {
  let servers: ServersUnderTest | undefined;
  beforeAll(async () => {
    servers = await startServers();
  });
  afterAll(() => servers?.close());
  return () => {
    if (!servers) throw new Error('The servers under test have not started (yet).');
    return servers;
  };
}
