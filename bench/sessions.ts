// Returning shoppers for the scenarios that need one: a visit to an origin page gives the session
// cookie (step 1 of the flow), then one origin-page POST per cart line.
import { SESSION_COOKIE } from '../server/flow/1-session-cookie';
import { ampCartPost } from './amp-form';
import { cookieSet, httpRequest } from './http-client';
import type { ServersInfo } from './servers';

export async function mintShopper(info: ServersInfo, skus: readonly string[]): Promise<string> {
  const visit = await httpRequest(`${info.urls.origin}/products/superclip`);
  const cookie = cookieSet(visit, SESSION_COOKIE);
  if (visit.status !== 200 || !cookie) throw new Error(`no session cookie (${visit.status})`);
  const origins = { publicOrigin: info.publicOrigin, cacheOrigin: info.urls.cache };
  for (const sku of skus) {
    const post = ampCartPost({ op: 'add', sku, quantity: 1 }, 'origin', origins, cookie);
    const answer = await httpRequest(info.urls.origin + post.path, { method: 'POST', ...post });
    if (answer.status !== 200) {
      throw new Error(`adding ${sku} failed: ${answer.status} ${answer.body.toString()}`);
    }
  }
  return cookie;
}

export async function mintShoppers(
  info: ServersInfo,
  count: number,
  skus: readonly string[],
): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) cookies.push(await mintShopper(info, skus));
  return cookies;
}
