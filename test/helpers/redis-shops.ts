// Shop instances sharing one Redis, as behind a load balancer: each is a createShop() with the
// same REDIS_URL and SESSION_SECRET on a loopback listener of its own, and keeps its log lines.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Shop } from '../../server/app';
import { testShop } from './shop';

export interface Instance {
  shop: Shop;
  /** The listener's base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Every log line written so far, parsed. */
  logs: Array<{ msg?: string; [field: string]: unknown }>;
  close(): Promise<void>;
}

export async function startInstance(
  redisUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Instance> {
  const logs: Instance['logs'] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const shop = await testShop({ REDIS_URL: redisUrl, ...env }, { logger });
  const server = http.createServer(shop.app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    shop,
    url: `http://127.0.0.1:${port}`,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await shop.close();
    },
  };
}

/** The log messages an instance wrote, e.g. to count 'Store unavailable: answered 503'. */
export function messages(instance: Instance): string[] {
  return instance.logs.map((line) => line.msg ?? '');
}

/** The first `count` SKUs of the catalog with at least `stock` in stock. */
export function skusInStock(shop: Shop, count: number, stock: number): string[] {
  const variants = shop.catalog.products.flatMap((product) => product.variants);
  const skus = variants.filter((variant) => variant.stock >= stock).map((variant) => variant.sku);
  if (skus.length < count) throw new Error(`only ${skus.length} SKUs have ${stock} in stock`);
  return skus.slice(0, count);
}
