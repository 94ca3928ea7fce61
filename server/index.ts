// `npm start`: read the configuration, start the shop and the local AMP cache, say where they are,
// and shut down gracefully on SIGTERM or SIGINT.
import { CatalogError } from './catalog/load-catalog';
import { ConfigError, loadConfig } from './config';
import { isLocalSecureContext } from './flow/1-session-cookie';
import { cacheUrlFor } from './local-cache/cache-url';
import { paths } from './paths';
import { startBestClips } from './start';

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startBestClips(config);
  const { logger } = running.shop;
  if (config.sessionSecretIsRandom) {
    logger.warn('No SESSION_SECRET set: using a random one (sessions end on restart).');
  }
  if (config.publicOrigin.startsWith('http:') && !isLocalSecureContext(config.publicOrigin)) {
    logger.warn('PUBLIC_ORIGIN is plain http: browsers will get no (Secure) session cookie.');
  }
  logger.info({ url: `${running.originUrl}/` }, 'BestClips shop is running');
  if (running.cacheUrl) {
    const url = cacheUrlFor(running.originUrl, running.cacheUrl, '/');
    logger.info({ url }, 'Local AMP cache is running');
  }
  if (running.metricsPort !== undefined) {
    logger.info({ port: running.metricsPort, path: paths.metrics }, 'Metrics are served');
  } else if (config.metricsPort === 'off') {
    logger.info('Metrics are off: set METRICS_PORT to serve them on a port of their own.');
  }

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'Shutting down: finishing requests in flight');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  // Start-up problems are for a person to fix: say what is wrong, without a stack trace.
  const known = error instanceof ConfigError || error instanceof CatalogError;
  console.error(known ? error.message : error);
  process.exit(1);
});
