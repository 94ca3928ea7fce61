// `npm start`: read the configuration, start the shop and the local AMP cache, say where they are.
import { CatalogError } from './catalog/load-catalog';
import { ConfigError, loadConfig } from './config';
import { cacheUrlFor } from './local-cache/cache-url';
import { startBestClips } from './start';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.sessionSecretIsRandom) {
    console.log(
      'No SESSION_SECRET set: using a random one for this process (sessions end on restart).',
    );
  }
  const running = await startBestClips(config);
  console.log(`BestClips shop:       ${running.originUrl}/`);
  if (running.cacheUrl) {
    console.log(`Local AMP cache copy: ${cacheUrlFor(running.originUrl, running.cacheUrl, '/')}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof CatalogError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
