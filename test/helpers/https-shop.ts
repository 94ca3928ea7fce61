// The shop and its local cache listening on HTTPS themselves, on free ports, with a certificate
// made for the run: https://localhost:PORT (the origin) and https://127.0.0.1:CACHE_PORT (the cache).
import { loadConfig } from '../../server/config';
import { startBestClips, type RunningBestClips } from '../../server/start';
import { makeCertificate, type Certificate } from './certificate';
import { freePorts } from './ports';

export async function startOverHttps(
  sessionSecret: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ running: RunningBestClips; certificate: Certificate }> {
  const certificate = await makeCertificate(['localhost', '127.0.0.1']);
  const [port, cachePort] = await freePorts();
  const running = await startBestClips(
    loadConfig({
      LOG_LEVEL: 'silent',
      PORT: String(port),
      PUBLIC_ORIGIN: `https://localhost:${port}`,
      CACHE_PORT: String(cachePort),
      CACHE_ORIGIN: `https://127.0.0.1:${cachePort}`,
      SESSION_SECRET: sessionSecret,
      ...env,
    }),
    { tls: certificate },
  );
  return { running, certificate };
}
