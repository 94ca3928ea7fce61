// The trace panel: the cart page shows which path the last change took, from what the server saw.
import request from 'supertest';
import type { Shop } from '../server/app';
import { FlowTraces, type TraceStep } from '../server/flow/flow-trace';
import { traceView } from '../server/pages/trace-view';
import { MemoryTraceRecords } from '../server/stores/memory/trace-records';
import { expectValidAmp } from './helpers/amp-validator';
import { ampPost, sessionCookieOf, testShop, visitOrigin } from './helpers/shop';

const ADD_ONE = { sku: 'SC-NAT-100', quantity: '1' };
const post = (outcome: 'applied' | 'redirected', cookie: boolean): TraceStep => ({
  step: 'post',
  at: 0,
  serverMs: 1.25,
  servedBy: 'cache',
  pageOrigin: 'http://127.0.0.1:8081',
  cookie,
  ampSameOrigin: false,
  outcome,
});

describe('FlowTraces and traceView', () => {
  it('follows a redirected change from its nonce to the session, once per hop', async () => {
    const traces = new FlowTraces(new MemoryTraceRecords());
    await traces.redirected('nonce-1', 'add 1 × Superclip', post('redirected', false));
    await traces.arrived('nonce-1', 'sid', { step: 'apply', at: 40, serverMs: 2, cookie: false });
    await traces.followed('sid', { step: 'cookie-check', at: 45 });
    await traces.followed('sid', { step: 'cart', at: 52 });
    await traces.followed('sid', { step: 'cart', at: 900 });
    const view = traceView((await traces.latest('sid'))!);
    expect(view.path).toBe('Redirected to the origin');
    expect(view.rows.map((row) => row.title)).toEqual([
      'Form posted from a page served by an AMP cache',
      'Apply path on the origin (a top-level visit: the cookie is first-party)',
      'Cookie check',
      'Clean cart URL',
    ]);
    expect(view.rows[0].detail).toContain('session cookie not sent');
    expect(view.rows[0].detail).toContain('AMP-Redirect-To');
    expect(view.rows[1].detail).toContain('session cookie created');
    expect(view.rows[1].timing).toBe('server 2.0 ms · 40 ms since the last hop');
    expect(view.total).toBe('52 ms');
  });

  it('adds no later hops to a change that was applied directly', async () => {
    const traces = new FlowTraces(new MemoryTraceRecords());
    await traces.applied('sid', 'add 1 × Superclip', post('applied', true));
    await traces.followed('sid', { step: 'cart', at: 60_000 });
    const view = traceView((await traces.latest('sid'))!);
    expect(view.path).toBe('Applied directly');
    expect(view.rows).toHaveLength(1);
    expect(view.rows[0].detail).toContain('session cookie sent');
    expect(view.total).toBeUndefined();
  });
});

describe('the trace panel on the cart page', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await testShop();
  });

  it('shows the redirect path after a cache change with the cookie blocked, and no secrets', async () => {
    const res = await ampPost(shop, '/api/cart/add', { from: 'google-cache', fields: ADD_ONE });
    const url = new URL(res.headers['amp-redirect-to']);
    const apply = await request(shop.app)
      .get(url.pathname + url.search)
      .expect(303);
    const { cookie, sessionId } = sessionCookieOf(apply);
    await request(shop.app).get('/cart/cookie-check').set('Cookie', cookie).expect(303);
    const cart = await request(shop.app).get('/cart').set('Cookie', cookie).expect(200);
    const panel = cart.text.slice(cart.text.indexOf('<section class="trace"'));
    expect(panel).toContain(
      'Redirected to the origin: add 1 &times; Superclip (Natural soy, pack of 100)',
    );
    expect(panel).toContain('Form posted from a page served by an AMP cache');
    expect(panel).toContain('session cookie not sent');
    expect(panel).toContain('AMP-Same-Origin absent');
    expect(panel).toContain('Apply path on the origin');
    expect(panel).toContain('Cookie check');
    expect(panel).toContain('Clean cart URL');
    for (const secret of [
      sessionId,
      url.searchParams.get('sig')!,
      url.searchParams.get('nonce')!,
    ]) {
      expect(cart.text).not.toContain(secret);
    }
    await expectValidAmp(cart.text, 'cart page with the trace panel');
  }, 60_000); // the AMP validator's first run in a busy test process takes seconds

  it('shows the direct path for a cache page whose browser sent the cookie', async () => {
    const { cookie } = await visitOrigin(shop);
    await ampPost(shop, '/api/cart/add', { from: 'local-cache', cookie, fields: ADD_ONE }).expect(
      200,
    );
    const cart = await request(shop.app).get('/cart').set('Cookie', cookie).expect(200);
    expect(cart.text).toContain('Applied directly: add 1 &times; Superclip');
    expect(cart.text).toContain('http://127.0.0.1:8081 &middot; session cookie sent');
    expect(cart.text).not.toContain('Apply path on the origin');
  });

  it('shows the origin path for the origin page', async () => {
    const { cookie } = await visitOrigin(shop);
    await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields: ADD_ONE }).expect(200);
    const cart = await request(shop.app).get('/cart').set('Cookie', cookie).expect(200);
    expect(cart.text).toContain('Form posted from a page served by the shop&rsquo;s origin');
    expect(cart.text).toContain('AMP-Same-Origin present');
  });

  it('is off with FLOW_TRACE=off', async () => {
    const quiet = await testShop({ FLOW_TRACE: 'off' });
    const { cookie } = await visitOrigin(quiet);
    await ampPost(quiet, '/api/cart/add', { from: 'origin', cookie, fields: ADD_ONE }).expect(200);
    const cart = await request(quiet.app).get('/cart').set('Cookie', cookie).expect(200);
    expect(cart.text).not.toContain('class="trace"');
  });
});
