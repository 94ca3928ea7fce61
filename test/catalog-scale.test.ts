// The shop with a large generated catalog: the generator, the listing's pages (24 a page, plain
// links, a page indicator, clear errors for page numbers that are not pages), and pages built on
// their first request only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { writeCatalog, generateCatalog } from '../scripts/generate-catalog';
import type { Shop } from '../server/app';
import { loadCatalog } from '../server/catalog/load-catalog';
import { loadConfig } from '../server/config';
import { PAGE_SIZE, paginationView } from '../server/pages/listing-view';
import { fromRoot } from '../server/project-root';
import { expectValidAmp } from './helpers/amp-validator';
import { testShop } from './helpers/shop';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bestclips-scale-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cardCount = (html: string) => html.match(/<li class="product-card">/g)?.length ?? 0;
const paginationOf = (html: string) =>
  html.match(/<nav class="pagination"[\s\S]*?<\/nav>/)?.[0] ?? '';

describe('the catalog generator', () => {
  it('makes the same valid catalog every time, with every sort order different', () => {
    expect(generateCatalog(50)).toEqual(generateCatalog(50));
    const file = writeCatalog(50, path.join(dir, 'fifty.json'));
    const catalog = loadCatalog(file, fromRoot('public'));
    expect(catalog.products).toHaveLength(50);
    expect(catalog.categories.length).toBeGreaterThan(1);
    const order = (sort: 'price-asc' | 'name') => catalog.list({ sort }).map((p) => p.slug);
    expect(order('price-asc')).not.toEqual(catalog.products.map((p) => p.slug));
    expect(order('name')).not.toEqual(order('price-asc'));
  });

  it('CATALOG_FILE points the shop at another catalog', () => {
    expect(loadConfig({ CATALOG_FILE: 'big.json' }).catalogFile).toBe(path.resolve('big.json'));
    expect(loadConfig({}).catalogFile).toBe(fromRoot('data', 'catalog.json'));
  });
});

describe('paginationView (pure)', () => {
  const href = (n: number) => `/?page=${n}`;
  it('first, last, and two either side of the current page, with gaps marked', () => {
    const view = paginationView(7, 20, href)!;
    expect(view.label).toBe('Page 7 of 20');
    expect(view.previous).toBe('/?page=6');
    expect(view.next).toBe('/?page=8');
    expect(view.pages.map((p) => [p.label, p.current, p.gapBefore])).toEqual([
      ['1', false, false],
      ['5', false, true],
      ['6', false, false],
      ['7', true, false],
      ['8', false, false],
      ['9', false, false],
      ['20', false, true],
    ]);
  });

  it('no previous on the first page, no next on the last, nothing for one page', () => {
    expect(paginationView(1, 3, href)?.previous).toBeUndefined();
    expect(paginationView(3, 3, href)?.next).toBeUndefined();
    expect(paginationView(1, 1, href)).toBeUndefined();
  });
});

describe('a 60-product shop', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await testShop({ CATALOG_FILE: writeCatalog(60, path.join(dir, 'sixty.json')) });
  });

  it('builds no page at start-up', () => {
    expect(shop.sharedPages.size).toBe(0);
  });

  it('lists 24 a page, says which page this is, and links to the others', async () => {
    const html = (await request(shop.app).get('/').expect(200)).text;
    expect(cardCount(html)).toBe(PAGE_SIZE);
    expect(html).toContain('60 products');
    const nav = paginationOf(html);
    expect(nav).toContain('<p class="pagination-label" aria-current="page">Page 1 of 3</p>');
    expect(nav).toContain('<a class="page-link page-step" href="/?page=2" rel="next">');
    expect(nav).toContain('<a class="page-link is-current" href="/" aria-current="page">1</a>');
    expect(nav).toContain('<a class="page-link" href="/?page=3" aria-current="false">3</a>');

    const last = (await request(shop.app).get('/?page=3').expect(200)).text;
    expect(cardCount(last)).toBe(60 - 2 * PAGE_SIZE);
    expect(last).toContain('<link rel="canonical" href="http://localhost:8080/?page=3">');
    expect(paginationOf(last)).toContain('href="/?page=2" rel="prev"');
  });

  it('pages keep the category and sort, and each page shows different products', async () => {
    const sorted = (page: number) =>
      request(shop.app).get(`/?sort=price-asc&page=${page}`).expect(200);
    const [one, two] = [(await sorted(1)).text, (await sorted(2)).text];
    expect(paginationOf(one)).toContain('href="/?sort=price-asc&amp;page=2"');
    const names = (html: string) =>
      [...html.matchAll(/product-card-name">([^<]*)</g)].map((m) => m[1]);
    expect(names(one).filter((name) => names(two).includes(name))).toEqual([]);
    const category = await request(shop.app).get('/?category=Kits').expect(200);
    expect(category.text).toContain('12 products in Kits');
    expect(category.text).not.toContain('class="pagination"');
  });

  it.each([
    ['/?page=4', 404, 'This listing has 3 pages.'],
    ['/?category=Kits&page=2', 404, 'This listing has 1 page.'],
    ['/?page=0', 400, 'Page numbers are whole numbers from 1'],
    ['/?page=-1', 400, 'Page numbers are whole numbers from 1'],
    ['/?page=two', 400, 'Page numbers are whole numbers from 1'],
    ['/?page=1.5', 400, 'Page numbers are whole numbers from 1'],
    ['/?page=2&page=3', 400, 'Page numbers are whole numbers from 1'],
    ['/?page=99999999999999999999', 400, 'Page numbers are whole numbers from 1'],
  ])('%s: %i with a sentence, never a 500', async (url, status, sentence) => {
    const res = await request(shop.app).get(url).expect(status);
    expect(res.text).toContain(sentence);
  });

  it('the first and a middle listing page, and the past-the-end page, are valid AMP', async () => {
    for (const [url, status] of [
      ['/', 200],
      ['/?page=2', 200],
      ['/?page=9', 404],
      ['/?page=x', 400],
    ] as const) {
      const res = await request(shop.app).get(url).expect(status);
      await expectValidAmp(res.text, url);
    }
  }, 60_000);
});
