// Pages are sent as pure ASCII (server/pages/ascii-html.ts): every other character becomes a
// reference the browser decodes to the same text. These tests decode with their own small
// decoder, so they check what a reader sees, not how the escaping is written.
import fc from 'fast-check';
import request from 'supertest';
import type { Shop } from '../server/app';
import { asciiDocument, escapeHtml, isAscii } from '../server/pages/ascii-html';
import { expectValidAmp } from './helpers/amp-validator';
import { testShop } from './helpers/shop';

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  nbsp: '\u00A0',
  middot: '·',
  times: '×',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  rarr: '→',
};

/** Decodes the character references the escaping produces (and fails on any other). */
function decode(html: string): string {
  return html.replace(/&(#x[\dA-F]+|#\d+|[a-z]+);/gi, (_ref, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    const char = NAMED[name];
    if (char === undefined) throw new Error(`unexpected reference &${name};`);
    return char;
  });
}

describe('escapeHtml', () => {
  it('escapes markup and writes everything beyond ASCII as references', () => {
    expect(escapeHtml('Washi Clips 和紙 <b> & "q" \'s')).toBe(
      'Washi Clips &#x548C;&#x7D19; &lt;b&gt; &amp; &quot;q&quot; &#39;s',
    );
    expect(escapeHtml('We couldn’t — 2 × 3…')).toBe(
      'We couldn&rsquo;t &mdash; 2 &times; 3&hellip;',
    );
    expect(escapeHtml('🙂')).toBe('&#x1F642;'); // one reference for the whole code point
    expect(escapeHtml('/products/a?b=c')).toBe('/products/a?b=c'); // URLs stay readable
    expect(escapeHtml(12)).toBe('12');
  });

  it('always gives ASCII that decodes to the value itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const escaped = escapeHtml(value);
        expect(isAscii(escaped)).toBe(true);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(decode(escaped)).toBe(value);
      }),
    );
  });
});

describe('asciiDocument', () => {
  it('rewrites a document to ASCII without changing what it says', () => {
    const html =
      '<!doctype html><html ⚡ lang="en"><head><title>Cart · BestClips</title>' +
      '<style amp-custom>.a::before{content:"→ ’"}</style>' +
      '<script type="application/json">{"name":"和紙"}</script>' +
      '<script type="text/plain" template="amp-mustache">{{x}} ’</script></head>' +
      '<body><p title="It’s">We couldn’t find it…</p></body></html>';
    expect(asciiDocument(html)).toBe(
      '<!doctype html><html amp lang="en"><head><title>Cart &middot; BestClips</title>' +
        '<style amp-custom>.a::before{content:"\\2192  \\2019 "}</style>' +
        '<script type="application/json">{"name":"\\u548c\\u7d19"}</script>' +
        '<script type="text/plain" template="amp-mustache">{{x}} ’</script></head>' +
        '<body><p title="It&rsquo;s">We couldn&rsquo;t find it&hellip;</p></body></html>',
    );
  });

  it('leaves an ASCII document as it is', () => {
    const html = '<html amp><body><p>[% name %] &amp; co</p></body></html>';
    expect(asciiDocument(html)).toBe(html);
  });
});

describe('pages as sent', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await testShop();
  }, 60_000);

  it.each(['/', '/products/washi-clips', '/cart', '/contact', '/no/such/page'])(
    '%s is ASCII, UTF-8 by its headers, and valid AMP',
    async (path) => {
      // Uncompressed, to compare the length with what was sent.
      const res = await request(shop.app).get(path).set('Accept-Encoding', 'identity');
      expect(isAscii(res.text)).toBe(true);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(res.text).toMatch(/^<!doctype html>\s*<html amp lang="en"/);
      await expectValidAmp(res.text, path);
    },
    60_000,
  );

  it('shows product names in any script, as references', async () => {
    const res = await request(shop.app).get('/products/washi-clips').expect(200);
    expect(res.text).toContain('Washi Clips &#x548C;&#x7D19;');
    expect(decode(res.text)).toContain('<h1 class="product-title">Washi Clips 和紙</h1>');
  });
});
