import type { CartChange } from '../server/cart/cart';
import {
  buildApplyUrl,
  checkChange,
  needsOriginRedirect,
  readApplyQuery,
  signChange,
} from '../server/flow/3-redirect-to-origin';
import { deriveLinkKey, LINK_TTL_SECONDS, type LinkTicket } from '../server/amp/signed-link';

const ticket: LinkTicket = {
  exp: 1_900_000_000,
  nonce: 'n0nce-n0nce-n0nce-n0',
  sig: 's'.repeat(43),
};

describe('needsOriginRedirect', () => {
  it('redirects only when there is neither a session cookie nor AMP-Same-Origin', () => {
    expect(needsOriginRedirect({ hasSessionCookie: false, ampSameOrigin: false })).toBe(true);
    expect(needsOriginRedirect({ hasSessionCookie: true, ampSameOrigin: false })).toBe(false);
    expect(needsOriginRedirect({ hasSessionCookie: false, ampSameOrigin: true })).toBe(false);
    expect(needsOriginRedirect({ hasSessionCookie: true, ampSameOrigin: true })).toBe(false);
  });
});

describe('buildApplyUrl / readApplyQuery', () => {
  const changes: CartChange[] = [
    { op: 'add', sku: 'CL-SLV-100', quantity: 3 },
    { op: 'set', sku: 'WASHI-RED-20', quantity: 10 },
    { op: 'remove', sku: 'CL-GLD-50' },
  ];

  it.each(changes)('round-trips %o through an absolute URL on the public origin', (change) => {
    const href = buildApplyUrl(
      'https://shop.example',
      change,
      'Clips & Pins #1 — 和紙 Größe',
      ticket,
    );
    const url = new URL(href);
    expect(url.origin).toBe('https://shop.example');
    expect(url.pathname).toBe('/cart/apply');
    expect(url.searchParams.has('__amp_source_origin')).toBe(false);
    expect(url.searchParams.get('item')).toBe('Clips & Pins #1 — 和紙 Größe');
    expect(readApplyQuery(Object.fromEntries(url.searchParams))).toEqual({
      ok: true,
      change,
      ticket,
    });
  });

  it('keeps the port of a local public origin and encodes every special character', () => {
    const href = buildApplyUrl('http://localhost:8080', changes[0], 'a&b=c#d e?f', ticket);
    expect(href).toBe(
      'http://localhost:8080/cart/apply?op=add&sku=CL-SLV-100&quantity=3&item=a%26b%3Dc%23d+e%3Ff' +
        `&exp=1900000000&nonce=n0nce-n0nce-n0nce-n0&sig=${'s'.repeat(43)}`,
    );
  });

  it('refuses queries that do not describe a valid change', () => {
    const signed = { exp: String(ticket.exp), nonce: ticket.nonce, sig: ticket.sig };
    expect(readApplyQuery({})).toMatchObject({ ok: false });
    expect(readApplyQuery({ op: 'add', sku: 'CL-SLV-100', quantity: '1' })).toMatchObject({
      ok: false,
    });
    expect(
      readApplyQuery({ op: 'add', sku: 'CL-SLV-100', quantity: '1', ...signed, sig: 'x' }),
    ).toMatchObject({ ok: false });
    expect(readApplyQuery({ op: 'steal', sku: 'X' })).toMatchObject({ ok: false });
    expect(readApplyQuery({ op: 'add', sku: 'CL-SLV-100', quantity: '1e3' })).toMatchObject({
      ok: false,
    });
    expect(
      readApplyQuery({ op: 'add', sku: 'CL-SLV-100', quantity: '1', next: '//evil' }),
    ).toMatchObject({
      ok: false,
    });
  });
});

const key = deriveLinkKey('unit-test-secret-0123456789');
const change: CartChange = { op: 'add', sku: 'SC-NAT-100', quantity: 2 };
const NOW = 1_800_000_000_000;

describe('signed changes', () => {
  it('accepts its own signature until it expires', async () => {
    const ticket = signChange(change, key, NOW);
    expect(ticket.exp).toBe(NOW / 1000 + LINK_TTL_SECONDS);
    expect(checkChange(change, ticket, key, NOW + 1000)).toBe('valid');
    expect(checkChange(change, ticket, key, ticket.exp * 1000)).toBe('expired');
  });

  it('refuses any altered field, a different key, and a moved expiry', async () => {
    const ticket = signChange(change, key, NOW);
    expect(checkChange({ ...change, quantity: 3 }, ticket, key, NOW)).toBe('forged');
    expect(checkChange({ ...change, sku: 'SC-NAT-250' }, ticket, key, NOW)).toBe('forged');
    expect(checkChange({ op: 'set', sku: change.sku, quantity: 2 }, ticket, key, NOW)).toBe(
      'forged',
    );
    expect(checkChange(change, { ...ticket, exp: ticket.exp + 3600 }, key, NOW)).toBe('forged');
    expect(checkChange(change, { ...ticket, nonce: 'another-nonce-value' }, key, NOW)).toBe(
      'forged',
    );
    expect(checkChange(change, ticket, deriveLinkKey('another-secret-0123456'), NOW)).toBe(
      'forged',
    );
    expect(checkChange(change, { ...ticket, sig: 'short' }, key, NOW)).toBe('forged');
  });

  it('makes a fresh nonce every time', async () => {
    expect(signChange(change, key, NOW).nonce).not.toBe(signChange(change, key, NOW).nonce);
  });
});
