// The shop and its local cache listening on HTTPS themselves (as the browser tests run them): the
// session cookie is Secure and SameSite=None, and the cache fetches origin pages over TLS.
import { Agent, request } from 'undici';
import { loadConfig } from '../server/config';
import { SESSION_COOKIE } from '../server/flow/1-session-cookie';
import { paths } from '../server/paths';
import { startBestClips, type RunningBestClips } from '../server/start';
import type { Certificate } from './helpers/certificate';
import { startOverHttps } from './helpers/https-shop';

describe('HTTPS', () => {
  let certificate: Certificate;
  let trusting: Agent;
  let running: RunningBestClips;

  beforeAll(async () => {
    ({ running, certificate } = await startOverHttps('https-test-secret-0123456789'));
    trusting = new Agent({ connect: { ca: certificate.cert } });
  });
  afterAll(async () => {
    await running?.close();
    await trusting?.close();
  });

  it('sets the __Host- session cookie, Secure and SameSite=None, from the badge request', async () => {
    // Step 1: an origin page's first credentialed request (the cart badge) brings the cookie.
    const origin = running.originUrl;
    const res = await request(
      `${origin}${paths.cartSummary}?__amp_source_origin=${encodeURIComponent(origin)}`,
      { dispatcher: trusting, headers: { 'AMP-Same-Origin': 'true' } },
    );
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^__Host-${SESSION_COOKIE.replace('.', '\\.')}=`));
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=None/);
  });

  it('serves the cache page, fetched from the origin over TLS, under /c/s/', async () => {
    const host = new URL(running.originUrl).host;
    const res = await request(`${running.cacheUrl}/c/s/${host}/products/superclip`, {
      dispatcher: trusting,
    });
    expect(res.statusCode).toBe(200);
    const html = await res.body.text();
    expect(html).toContain(`action-xhr="${running.originUrl}/api/cart/add"`);
    expect(html).toContain('Served by the local AMP cache');
  });

  it('refuses to serve HTTPS for an http origin', async () => {
    await expect(
      startBestClips(loadConfig({ LOG_LEVEL: 'silent', PORT: '0', CACHE: 'off' }), {
        tls: certificate,
      }),
    ).rejects.toThrow('Serving HTTPS, but http://localhost:0 is not an https origin.');
  });
});
