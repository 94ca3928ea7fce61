import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CatalogError, loadCatalog } from '../server/catalog/load-catalog';
import type { Product } from '../server/catalog/types';

const root = path.resolve(__dirname, '..');
const lowestPrice = (product: Product) => Math.min(...product.variants.map((v) => v.priceCents));
const slugs = (products: readonly Product[]) => products.map((product) => product.slug);

describe('the real catalog (data/catalog.json)', () => {
  const catalog = loadCatalog(path.join(root, 'data/catalog.json'), path.join(root, 'public'));

  test('loads a flagship Superclip and enough products to browse', () => {
    expect(catalog.products.length).toBeGreaterThanOrEqual(8);
    expect(catalog.products[0].name).toBe('Superclip');
  });

  test('every product has at least 2 variants with whole-cent prices and stock', () => {
    for (const product of catalog.products) {
      expect(product.variants.length).toBeGreaterThanOrEqual(2);
      for (const variant of product.variants) {
        expect(Number.isInteger(variant.priceCents)).toBe(true);
        expect(variant.priceCents).toBeGreaterThan(0);
        expect(Number.isInteger(variant.stock)).toBe(true);
      }
    }
  });

  test('has the cases other tests rely on: "&", non-Latin letters, stock 0 and stock 3', () => {
    const names = catalog.products.map((product) => product.name);
    expect(names.some((name) => name.includes('&'))).toBe(true);
    expect(names.some((name) => /[^\p{Script=Latin}\p{Script=Common}]/u.test(name))).toBe(true);
    const stocks = catalog.products.flatMap((product) => product.variants.map((v) => v.stock));
    expect(stocks).toContain(0);
    expect(stocks).toContain(3);
  });

  test('lists 3 or 4 distinct categories in first-seen order', () => {
    const seen = [...new Set(catalog.products.map((product) => product.category))];
    expect(catalog.categories).toEqual(seen);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThanOrEqual(4);
  });

  test('is frozen, so nothing can change a price or stock at run time', () => {
    expect(Object.isFrozen(catalog.products)).toBe(true);
    expect(Object.isFrozen(catalog.products[0])).toBe(true);
    expect(Object.isFrozen(catalog.products[0].variants[0])).toBe(true);
  });

  test('finds every product by slug and every variant by SKU', () => {
    for (const product of catalog.products) {
      expect(catalog.findProduct(product.slug)).toBe(product);
      for (const variant of product.variants) {
        expect(catalog.findVariant(variant.sku)).toEqual({ product, variant });
      }
    }
    expect(catalog.findVariant('SC-NAT-100')?.product.slug).toBe('superclip');
    expect(catalog.findVariant('NO-SUCH-SKU')).toBeUndefined();
    expect(catalog.findProduct('no-such-product')).toBeUndefined();
  });

  test('filters by category and returns nothing for an unknown one', () => {
    for (const category of catalog.categories) {
      const listed = catalog.list({ category });
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((product) => product.category === category)).toBe(true);
    }
    expect(catalog.list({ category: 'Staplers' })).toEqual([]);
  });

  test('sorts by price (lowest variant) and by name', () => {
    const asc = catalog.list({ sort: 'price-asc' }).map(lowestPrice);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = catalog.list({ sort: 'price-desc' }).map(lowestPrice);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const names = catalog.list({ sort: 'name' }).map((product) => product.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  });

  test('sorts each listing once and hands out the same frozen array', () => {
    const listed = catalog.list({ sort: 'name' });
    expect(Object.isFrozen(listed)).toBe(true);
    expect(catalog.list({ sort: 'name' })).toBe(listed);
    expect(catalog.list({})).toEqual(catalog.products);
  });
});

// Small hand-made catalogs in a temporary directory, one problem at a time.
const variant = (sku: string, priceCents: number) => ({
  sku,
  finish: 'Silver',
  packSize: 10,
  priceCents,
  stock: 5,
});
const product = (slug: string, name: string, category: string, prices: number[]) => ({
  slug,
  name,
  description: 'A test product.',
  category,
  image: `/images/${slug}.svg`,
  variants: prices.map((price, i) => variant(`${slug.toUpperCase()}-${i}`, price)),
});
// Names, prices and order chosen so every sort gives a different answer; Charlie's cheapest
// variant is not its first, and Bravo ties with Charlie on price.
const goodCatalog = () => ({
  products: [
    product('charlie', 'Charlie', 'X', [900, 300]),
    product('alpha', 'alpha', 'Y', [500, 2000]),
    product('bravo', 'Bravo', 'X', [300, 400]),
    product('delta', 'delta', 'Y', [600, 700]),
  ],
});

type Fixture = ReturnType<typeof goodCatalog>;
/** For breaking a fixture in ways its type does not allow. */
type Loose = Record<string, unknown>;

describe('a catalog file', () => {
  let dir: string;
  let publicDir: string;

  function write(content: unknown): string {
    const file = path.join(dir, 'catalog.json');
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  function failure(content: unknown): string {
    const file = write(content);
    try {
      loadCatalog(file, publicDir);
    } catch (err) {
      expect(err).toBeInstanceOf(CatalogError);
      const message = (err as Error).message;
      expect(message).toContain(file);
      return message;
    }
    throw new Error('expected the catalog to be rejected');
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bestclips-catalog-'));
    publicDir = path.join(dir, 'public');
    fs.mkdirSync(path.join(publicDir, 'images'), { recursive: true });
    for (const slug of ['alpha', 'bravo', 'charlie', 'delta']) {
      fs.writeFileSync(path.join(publicDir, 'images', `${slug}.svg`), '<svg/>');
    }
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('sorts in every order, ties broken by name', () => {
    const catalog = loadCatalog(write(goodCatalog()), publicDir);
    expect(slugs(catalog.list({}))).toEqual(['charlie', 'alpha', 'bravo', 'delta']);
    expect(slugs(catalog.list({ sort: 'featured' }))).toEqual([
      'charlie',
      'alpha',
      'bravo',
      'delta',
    ]);
    expect(slugs(catalog.list({ sort: 'price-asc' }))).toEqual([
      'bravo',
      'charlie',
      'alpha',
      'delta',
    ]);
    expect(slugs(catalog.list({ sort: 'price-desc' }))).toEqual([
      'delta',
      'alpha',
      'bravo',
      'charlie',
    ]);
    expect(slugs(catalog.list({ sort: 'name' }))).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
    expect(slugs(catalog.list({ category: 'X', sort: 'name' }))).toEqual(['bravo', 'charlie']);
    expect(catalog.categories).toEqual(['X', 'Y']);
  });

  test.each([
    [
      'a price of the wrong type',
      (c: Fixture) => ((c.products[1].variants[0] as Loose).priceCents = '5.00'),
      'products[1].variants[0].priceCents: must be a number',
    ],
    [
      'a price in fractions of a cent',
      (c: Fixture) => (c.products[3].variants[1].priceCents = 12.5),
      'products[3].variants[1].priceCents: must be a whole number of cents',
    ],
    [
      'a missing field',
      (c: Fixture) => delete (c.products[2] as Loose).name,
      'products[2].name: is missing',
    ],
    [
      'negative stock',
      (c: Fixture) => (c.products[0].variants[1].stock = -1),
      'products[0].variants[1].stock: must not be negative',
    ],
    [
      'a lowercase SKU',
      (c: Fixture) => (c.products[0].variants[0].sku = 'abc-1'),
      'products[0].variants[0].sku: must be UPPERCASE letters, digits and dashes',
    ],
    [
      'a product with one variant',
      (c: Fixture) => c.products[1].variants.pop(),
      'products[1].variants: must have at least 2 variants',
    ],
    [
      'a misspelt field',
      (c: Fixture) => ((c.products[2] as Loose).colour = 'red'),
      'products[2]: unknown field "colour"',
    ],
    [
      'a duplicate SKU',
      (c: Fixture) => (c.products[2].variants[1].sku = 'CHARLIE-0'),
      'products[2].variants[1].sku: "CHARLIE-0" is already used by products[0].variants[0]',
    ],
    [
      'a duplicate slug',
      (c: Fixture) => (c.products[3].slug = 'alpha'),
      'products[3].slug: "alpha" is already used by products[1]',
    ],
    [
      'an image outside /images/',
      (c: Fixture) => (c.products[1].image = '/secret.svg'),
      'products[1].image: must start with /images/',
    ],
    [
      'an image path climbing out of the public directory',
      (c: Fixture) => (c.products[1].image = '/images/../../catalog.json'),
      'products[1].image: must not contain ".."',
    ],
  ])('is rejected for %s, naming the file and field', (_what, breakIt, expected) => {
    const bad = goodCatalog();
    breakIt(bad);
    expect(failure(bad)).toContain(expected);
  });

  test('is rejected for a missing image file, naming the file it looked for', () => {
    const bad = goodCatalog();
    bad.products[1].image = '/images/nowhere.svg';
    expect(failure(bad)).toContain(
      `products[1].image: ${path.join(publicDir, 'images/nowhere.svg')} does not exist`,
    );
  });

  test('is rejected when it is not valid JSON', () => {
    expect(failure('{ "products": [ }')).toMatch(/catalog\.json: is not valid JSON/);
  });

  test('is rejected when it does not exist', () => {
    expect(() => loadCatalog(path.join(dir, 'missing.json'), publicDir)).toThrow(
      /missing\.json: cannot be read/,
    );
  });

  test('is named relative to the working directory when inside it', () => {
    const cwd = process.cwd();
    write('not json');
    process.chdir(dir);
    try {
      expect(() => loadCatalog('catalog.json', 'public')).toThrow(
        /^catalog\.json: is not valid JSON/,
      );
    } finally {
      process.chdir(cwd);
    }
  });
});
