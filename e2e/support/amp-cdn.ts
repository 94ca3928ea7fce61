// The AMP CDN for the browsers under test, with nothing leaving the machine. One HTTPS server answers
// as https://cdn.ampproject.org with a certificate made for the run; every engine reaches it through
// the same loopback proxy (HTTP CONNECT), which tunnels cdn.ampproject.org:443 there and refuses
// any other host (browsers' own background calls — updates, sign-in, autofill — end there too).
// Loopback (the origin and the local cache) never goes through it.
// WebKit has no request interception, so this one way serves all three engines alike.
//
// By default v0.js / v0.mjs are the amp-form test double, amp-list-0.1.js the amp-list test double
// and every other extension an empty script.
// With AMP_RUNTIME_DIR set (a folder laid out like the CDN: v0.js, v0/amp-form-0.1.js, …) the real
// files are served instead, and the tests are otherwise unchanged.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http, { type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { makeCertificate } from '../../test/helpers/certificate';

const AMP_CDN_HOST = 'cdn.ampproject.org';
const double = (file: string) =>
  readFileSync(path.join(__dirname, '../amp-runtime-double', file), 'utf8');
const DOUBLE = double('amp-form-double.js');
const AMP_LIST_DOUBLE = double('amp-list-double.js');
const JS = 'text/javascript; charset=utf-8';

export interface AmpCdn {
  /** `http://127.0.0.1:PORT`: the proxy to give each browser. */
  proxyUrl: string;
  close(): Promise<void>;
}

export async function startAmpCdn(runtimeDir = process.env.AMP_RUNTIME_DIR): Promise<AmpCdn> {
  const cdn = https.createServer(await makeCertificate([AMP_CDN_HOST]), (req, res) => {
    // As the real CDN does: module scripts (v0.mjs on cache pages) are fetched in CORS mode.
    res.setHeader('Access-Control-Allow-Origin', '*');
    serveRuntimeFile(new URL(req.url ?? '/', `https://${AMP_CDN_HOST}`), res, runtimeDir).catch(
      () => res.destroy(),
    );
  });
  cdn.listen(0, '127.0.0.1');
  await once(cdn, 'listening');
  const cdnPort = (cdn.address() as AddressInfo).port;

  const proxy = http.createServer((_req, res) => {
    res.writeHead(403).end('Only the AMP CDN is reachable from the browser tests.');
  });
  const tunnels = new Set<net.Socket>(); // no longer the HTTP server's once tunnelling
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => client.destroy());
    if (req.url !== `${AMP_CDN_HOST}:443`) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(cdnPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');

  return {
    proxyUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: async () => {
      for (const tunnel of tunnels) tunnel.destroy();
      for (const server of [proxy, cdn]) {
        server.closeAllConnections();
        await new Promise((done) => server.close(done));
      }
    },
  };
}

async function serveRuntimeFile(
  url: URL,
  res: ServerResponse,
  runtimeDir: string | undefined,
): Promise<void> {
  // Versioned URLs (`/rtv/<RTV>/v0.js`) are the same files.
  const file = url.pathname.replace(/^\/rtv\/[^/]+\//, '/').slice(1);
  if (runtimeDir) {
    const full = path.resolve(runtimeDir, file);
    const body = full.startsWith(path.resolve(runtimeDir) + path.sep)
      ? await readFile(full).catch(() => undefined)
      : undefined;
    if (!body) return void res.writeHead(404).end(`not in AMP_RUNTIME_DIR: ${file}`);
    return void res.writeHead(200, { 'Content-Type': contentType(file) }).end(body);
  }
  if (file === 'v0.js' || file === 'v0.mjs') {
    return void res.writeHead(200, { 'Content-Type': JS }).end(DOUBLE);
  }
  if (/^v0\/amp-list-0\.1\.m?js$/.test(file)) {
    return void res.writeHead(200, { 'Content-Type': JS }).end(AMP_LIST_DOUBLE);
  }
  if (/\.m?js$/.test(file)) return void res.writeHead(200, { 'Content-Type': JS }).end('');
  res.writeHead(404).end('');
}

function contentType(file: string): string {
  if (/\.m?js$/.test(file)) return JS;
  if (file.endsWith('.css')) return 'text/css; charset=utf-8';
  if (file.endsWith('.json')) return 'application/json';
  return 'application/octet-stream';
}
