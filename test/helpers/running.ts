// The shop and the local AMP cache as `npm start` runs them, each on a free port, quiet.
import { loadConfig } from '../../server/config';
import { startBestClips, type RunningBestClips } from '../../server/start';
import { freePorts } from './ports';

export async function startShopAndCache(
  sessionSecret: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningBestClips> {
  const [port, cachePort] = await freePorts();
  return startBestClips(
    loadConfig({
      LOG_LEVEL: 'silent',
      PORT: String(port),
      CACHE_PORT: String(cachePort),
      SESSION_SECRET: sessionSecret,
      ...env,
    }),
  );
}
