// The HTML pages: the rendering pipeline (start-up optimization, per-request Mustache), the page
// router against a small real catalog, and AMP validity of every page.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { MemoryCartStore } from '../server/stores/memory/cart-store';
import { VISITOR_STATE_LIMITS } from '../server/stores/memory/limits';
import { priceCart } from '../server/cart/cart';
import { loadCatalog } from '../server/catalog/load-catalog';
import type { Catalog } from '../server/catalog/types';
import { loadConfig } from '../server/config';
import { SESSION_COOKIE } from '../server/flow/1-session-cookie';
import { cartView } from '../server/pages/cart-view';
import { MemoryOrderStore } from '../server/stores/memory/order-store';
import { checkoutPages } from '../server/pages/checkout-pages';
import { createOfflineOptimizer } from '../server/pages/optimizer';
import {
  cartPage,
  loadShopperCart,
  notFoundHandler,
  sharedPages,
  type SharedPageDeps,
} from '../server/pages/shop-pages';
import { paths } from '../server/paths';
import { createPageRenderer, type PageRenderer } from '../server/pages/renderer';
import { SHARED_CACHE_CONTROL, SharedDocuments } from '../server/pages/shared-documents';
import { CSS_BUDGET_BYTES, readCustomCss } from '../server/pages/templates';
import { expectValidAmp } from './helpers/amp-validator';

const VIEWS_DIR = path.resolve(__dirname, '..', 'views');
const ORIGIN = 'https://shop.example';

// Featured (file) order differs from name and price order on purpose.
const FIXTURE = {
  products: [
    product('big-binder', 'Big Binder', 'Binder clips', [
      ['BB-1', 'Black', 12, 800, 0],
      ['BB-2', 'Brass', 12, 750, 5],
    ]),
    product('cheap-clips', 'Cheap Clips', 'Paper clips', [
      ['CC-1', 'Silver', 100, 100, 100],
      ['CC-2', 'Gold', 100, 200, 100],
    ]),
    product('sold-out-tray', 'Sold-out Tray', 'Desk accessories', [
      ['ST-1', 'Natural', 1, 2000, 0],
      ['ST-2', 'Charcoal', 1, 3000, 0],
    ]),
    product('alpha-clips', 'Alpha Clips', 'Paper clips', [
      ['AL-1', 'Natural soy', 100, 300, 50],
      ['AL-2', 'Meadow green', 100, 500, 2],
      ['AL-3', 'Rose gold', 100, 400, 0],
    ]),
  ],
};

type VariantRow = [
  sku: string,
  finish: string,
  packSize: number,
  priceCents: number,
  stock: number,
];

function product(slug: string, name: string, category: string, variants: VariantRow[]) {
  return {
    slug,
    name,
    description: `All about ${name}.`,
    category,
    image: `/images/${slug}.svg`,
    variants: variants.map(([sku, finish, packSize, priceCents, stock]) => ({
      sku,
      finish,
      packSize,
      priceCents,
      stock,
    })),
  };
}

function fixtureCatalog(): Catalog {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bestclips-pages-'));
  fs.mkdirSync(path.join(dir, 'public', 'images'), { recursive: true });
  for (const { image } of FIXTURE.products) fs.writeFileSync(path.join(dir, 'public', image), '');
  fs.writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(FIXTURE));
  return loadCatalog(path.join(dir, 'catalog.json'), path.join(dir, 'public'));
}

const catalog = fixtureCatalog();
let renderer: PageRenderer;
let consoleOutput: unknown[][];
const networkCalls = [http, https].flatMap((mod) => [
  jest.spyOn(mod, 'request'),
  jest.spyOn(mod, 'get'),
]);

beforeAll(async () => {
  consoleOutput = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args) => consoleOutput.push(args)),
  );
  try {
    renderer = await createPageRenderer(VIEWS_DIR);
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}, 60_000);

afterAll(() => networkCalls.forEach((spy) => spy.mockRestore()));

let carts: MemoryCartStore;
beforeAll(async () => {
  carts = new MemoryCartStore(catalog, VISITOR_STATE_LIMITS);
  await carts.apply('shopper', { op: 'add', sku: 'AL-1', quantity: 2 });
  await carts.apply('shopper', { op: 'add', sku: 'BB-2', quantity: 1 });
  await carts.apply('big-spender', { op: 'add', sku: 'CC-2', quantity: 10 });
  await carts.apply('big-spender', { op: 'add', sku: 'AL-1', quantity: 2 });
});

function testApp(overrides: Partial<SharedPageDeps> = {}) {
  const config = loadConfig({ PUBLIC_ORIGIN: ORIGIN });
  const documents = new SharedDocuments(8 * 1024 * 1024);
  const deps: SharedPageDeps = { config, catalog, carts, renderer, documents, ...overrides };

  const app = express();
  // The page routes of routes.ts. Shared pages come first, as in the real app: they never see a
  // cookie or a session.
  const shared = sharedPages(deps);
  app.get(paths.home, shared.home);
  app.get(paths.productRoute, shared.product);
  app.get(paths.contact, shared.contact);
  // Stands in for cookie-parser and express-session, which run before the shopper's pages in the
  // real app: a test session arrives with the session cookie, a new visitor without one.
  app.use((req, _res, next) => {
    const session = req.get('x-test-session');
    (req as { sessionID?: string }).sessionID = session ?? 'new-visitor';
    req.cookies = session ? { [SESSION_COOKIE]: `s:${session}.sig` } : {};
    next();
  });
  app.use(loadShopperCart(deps.carts));
  const orderPages = checkoutPages({
    ...deps,
    orders: new MemoryOrderStore(VISITOR_STATE_LIMITS, carts),
  });
  app.get(paths.cart, cartPage(deps));
  app.get(paths.checkout, orderPages.checkout);
  app.get(paths.orderRoute, orderPages.order);
  app.use(notFoundHandler(deps));
  return app;
}

const app = () => testApp();

async function page(url: string, session?: string, status = 200): Promise<string> {
  let req = request(app()).get(url);
  if (session) req = req.set('x-test-session', session);
  const res = await req.expect(status).expect('Content-Type', /text\/html/);
  return res.text;
}

const badgeOf = (html: string) =>
  html.match(/<amp-list id="cart-badge"[\s\S]*?<\/amp-list>/)?.[0] ?? '';
const cardNames = (html: string) =>
  [...html.matchAll(/<h3 class="product-card-name">([^<]*)<\/h3>/g)].map((m) => m[1]);
const formsOf = (html: string) => html.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? [];
const formTo = (html: string, action: string) =>
  formsOf(html).filter((form) => form.includes(`action-xhr="${action}"`));

const SUCCESS_TEMPLATE =
  '<div submit-success class="form-status form-status-success" role="status">\n  <template type="amp-mustache"><p>{{message}}</p> <a href="/cart">View cart</a></template>';
const ERROR_TEMPLATE = '<template type="amp-mustache"><p>{{error}}</p></template>';

describe('rendering pipeline', () => {
  test('start-up logs nothing and makes no network request', () => {
    expect(consoleOutput).toEqual([]);
    for (const spy of networkCalls) expect(spy).not.toHaveBeenCalled();
  });

  test('pages come out server-side rendered by the optimizer', async () => {
    const html = await page('/');
    // `amp`, not `⚡`: pages are sent as ASCII (server/pages/ascii-html.ts).
    expect(html).toMatch(/^<!doctype html>\s*<html amp lang="en"[^>]* i-amphtml-no-boilerplate /);
    expect(html).toContain('transformed="self;v=1"');
    expect(html).toContain('<style amp-runtime ');
    expect(html).not.toContain('amp-boilerplate');
    expect(html).toMatch(
      /<amp-img src="\/images\/big-binder\.svg"[^>]* i-amphtml-layout="responsive"/,
    );
  });

  test.each([
    '/',
    '/?category=Nope',
    '/products/alpha-clips',
    '/cart',
    '/checkout',
    '/contact',
    '/nowhere',
  ])('%s: no [% %] tag leaks, amp-mustache tags reach the browser untouched', async (url) => {
    const html = await page(url, 'shopper', url === '/nowhere' ? 404 : 200);
    expect(html).not.toMatch(/\[%|%\]/);
    if (url !== '/' && !url.startsWith('/?') && url !== '/nowhere') {
      expect(html).toContain('<p>{{message}}</p>');
      expect(html).toContain(ERROR_TEMPLATE);
    }
  });

  test('what a request says never reaches a shared page: a bad category is not echoed', async () => {
    const html = await page('/?category=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(html).not.toContain('alert(1)');
    expect(html).toBe(await page('/?category=Staplers'));
  });

  test('the optimizer fails loudly instead of logging a warning', async () => {
    const heroes =
      '<amp-img data-hero src="/a.svg" width="4" height="3" layout="responsive"></amp-img>';
    const html = `<!doctype html><html ⚡ lang="en"><head><meta charset="utf-8"></head><body>${heroes.repeat(3)}</body></html>`;
    await expect(createOfflineOptimizer()(html)).rejects.toThrow(/Found 3 hero elements/);
  });

  test('the custom CSS stays within its budget, and an oversized one stops start-up', () => {
    expect(Buffer.byteLength(readCustomCss(VIEWS_DIR))).toBeLessThanOrEqual(CSS_BUDGET_BYTES);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bestclips-css-'));
    fs.writeFileSync(path.join(dir, 'styles.css'), `p{color:red}\n`.repeat(1300));
    expect(() => readCustomCss(dir)).toThrow(/budget is 15360 bytes/);
  });
});

describe('layout', () => {
  test('a shared page is the same bytes for every visitor: no count in its header', async () => {
    const [newVisitor, shopper] = await Promise.all([page('/'), page('/', 'shopper')]);
    expect(shopper).toBe(newVisitor);
    expect(badgeOf(shopper)).not.toMatch(/<div (placeholder|fallback)>[^\n]*cart-count/);
  });

  test('the cart page (one shopper’s) shows their count in the header as first painted', async () => {
    const html = await page('/cart', 'shopper');
    expect(html).toMatch(/<a class="cart-pill" href="\/cart">[\s\S]*?>3<\/span>/);
  });

  test('the badge is an amp-list on the summary endpoint; placeholder and fallback say "Cart"', async () => {
    const badge = badgeOf(await page('/products/alpha-clips', 'shopper'));
    expect(badge).toMatch(
      /^<amp-list id="cart-badge" class="cart-badge[^"]*" src="\/api\/cart\/summary" credentials="include" items="\." single-item binding="no" layout="fixed" width="76" height="26"/,
    );
    expect(badge).toContain(
      '<template type="amp-mustache"><span class="cart-badge-now">Cart{{#known}} <span class="cart-count">{{count}}</span>',
    );
    expect(badge).toContain('<div placeholder><span class="cart-badge-now">Cart</span>');
    expect(badge).toContain('<div fallback><span class="cart-badge-now">Cart</span></div>');
  });

  test('the header links to the shop, the contact page and the cart (the badge is inside the link)', async () => {
    const nav = (await page('/')).match(/<nav class="site-nav"[\s\S]*?<\/nav>/)?.[0] ?? '';
    expect(nav.match(/href="[^"]+"/g)).toEqual(['href="/"', 'href="/contact"', 'href="/cart"']);
  });

  test('canonical = public origin + path; a shared page may be kept briefly by caches', async () => {
    const res = await request(app()).get('/products/alpha-clips').expect(200);
    expect(res.headers['cache-control']).toBe(SHARED_CACHE_CONTROL);
    expect(res.text).toContain(`<link rel="canonical" href="${ORIGIN}/products/alpha-clips">`);
  });

  test('the origin banner slot renders only when filled, with the page’s canonical path', async () => {
    expect(await page('/')).not.toContain('class="origin-banner');
    const withBanner = testApp({
      originBanner: (path) => ({ href: `https://cache.example/c${path}`, label: 'Cached' }),
    });
    const res = await request(withBanner).get('/?sort=name&utm=x').expect(200);
    expect(res.text).toContain(
      '<aside class="origin-banner origin-only" aria-label="AMP cache"><a href="https://cache.example/c/?sort=name">Cached</a></aside>',
    );
  });
});

describe('GET / (listing)', () => {
  test('lists every product in featured order, with picture, name, price and category', async () => {
    const html = await page('/');
    expect(cardNames(html)).toEqual(['Big Binder', 'Cheap Clips', 'Sold-out Tray', 'Alpha Clips']);
    expect(html).toContain('4 products');
    const card = html.match(/<li class="product-card">[\s\S]*?<\/li>/)?.[0] ?? '';
    expect(card).toContain('href="/products/big-binder"');
    expect(card).toMatch(
      /<amp-img src="\/images\/big-binder.svg" width="400" height="300" layout="responsive"/,
    );
    expect(card).toContain('from <strong>$7.50</strong>');
    expect(card).toContain('<p class="product-card-category">Binder clips</p>');
    expect(html).toMatch(/Sold out<\/span>[\s\S]*Sold-out Tray/);
  });

  test.each([
    ['price-asc', ['Cheap Clips', 'Alpha Clips', 'Big Binder', 'Sold-out Tray']],
    ['price-desc', ['Sold-out Tray', 'Big Binder', 'Alpha Clips', 'Cheap Clips']],
    ['name', ['Alpha Clips', 'Big Binder', 'Cheap Clips', 'Sold-out Tray']],
    ['featured', ['Big Binder', 'Cheap Clips', 'Sold-out Tray', 'Alpha Clips']],
  ])('?sort=%s', async (sort, names) => {
    expect(cardNames(await page(`/?sort=${sort}`))).toEqual(names);
  });

  test('filters by category and combines with sort; the links keep the other choice', async () => {
    const html = await page('/?category=Paper%20clips&sort=price-asc');
    expect(cardNames(html)).toEqual(['Cheap Clips', 'Alpha Clips']);
    expect(html).toContain('2 products in Paper clips');
    expect(html).toContain(
      `<link rel="canonical" href="${ORIGIN}/?category=Paper%20clips&amp;sort=price-asc">`,
    );
    expect(html).toContain(
      '<a class="chip is-current" href="/?category=Paper%20clips&amp;sort=price-asc" aria-current="page">Paper clips</a>',
    );
    expect(html).toContain('<a class="chip" href="/?sort=price-asc" aria-current="false">All</a>');
    expect(html).toContain(
      '<a class="sort" href="/?category=Paper%20clips&amp;sort=name" aria-current="false">Name</a>',
    );
  });

  test.each([
    ['/?category=Staplers', /We don&rsquo;t have that category/],
    ['/?sort=cheapest', /We can&rsquo;t sort that way/],
    ['/?category=a&category=b', /We don&rsquo;t have that category/],
    ['/?sort=name&sort=price-asc', /We can&rsquo;t sort that way/],
  ])('%s falls back to everything, with a friendly note', async (url, note) => {
    const html = await page(url);
    expect(html).toMatch(note);
    expect(cardNames(html)).toHaveLength(4);
    expect(html).toContain(`<link rel="canonical" href="${ORIGIN}/">`);
  });
});

describe('GET /products/:slug', () => {
  test('shows the product and its variants with stock notes', async () => {
    const html = await page('/products/alpha-clips');
    expect(html).toContain('<h1 class="product-title">Alpha Clips</h1>');
    expect(html).toContain('All about Alpha Clips.');
    expect(html).toContain('<p class="eyebrow">Paper clips</p>');
    expect(html).toMatch(
      /<amp-img data-hero src="\/images\/alpha-clips.svg"[^>]*alt="Alpha Clips"/,
    );
    expect(html).toMatch(/Meadow green<\/span>[\s\S]*?\$5\.00[\s\S]*?Only 2 left/);
    expect(html).toMatch(/Rose gold<\/span>[\s\S]*?\$4\.00[\s\S]*?Out of stock/);
  });

  test('the add-to-cart amp-form is exactly the expected markup', async () => {
    const [form, ...others] = formTo(await page('/products/alpha-clips'), '/api/cart/add');
    expect(others).toEqual([]);
    expect(form).toMatch(/^<form method="post" action-xhr="\/api\/cart\/add" target="_top"/);
    expect(form).toMatch(/<input [^>]*type="radio" name="sku" value="AL-1"/);
    expect(form).toMatch(/<input [^>]*type="number" name="quantity" value="1"/);
    expect(form).toContain('<button type="submit"');
    expect(form).toContain(SUCCESS_TEMPLATE);
    expect(form).toContain(ERROR_TEMPLATE);
    expect(form).toMatch(/<div submitting[^>]*>/);
  });

  test('out-of-stock variants are disabled; the first in-stock one is checked', async () => {
    const form = formTo(await page('/products/big-binder'), '/api/cart/add')[0];
    const radios = form.match(/<input class="variant-input"[^>]*>/g) ?? [];
    expect(radios).toHaveLength(2);
    expect(radios[0]).toMatch(/value="BB-1" disabled>/);
    expect(radios[0]).not.toContain('checked');
    expect(radios[1]).toMatch(/value="BB-2" checked /);
    expect(form.match(/ checked /g)).toHaveLength(1);
  });

  test('the quantity limit is never above the chosen variant’s stock', async () => {
    const form = formTo(await page('/products/big-binder'), '/api/cart/add')[0];
    // Brass has 5 in stock: the field starts at max 5 and amp-bind updates it per variant.
    expect(form).toMatch(/name="quantity" value="1" min="1" max="5" \[max\]="qtyMax"/);
    expect(form).toContain('value="BB-2" checked on="change:AMP.setState({qtyMax: 5})"');

    const alpha = formTo(await page('/products/alpha-clips'), '/api/cart/add')[0];
    expect(alpha).toMatch(/max="10" \[max\]="qtyMax"/); // 50 in stock: the per-line cap of 10
    expect(alpha).toContain('value="AL-2" on="change:AMP.setState({qtyMax: 2})"');
  });

  test('a product sold out in every finish has no add-to-cart form', async () => {
    const html = await page('/products/sold-out-tray');
    expect(formTo(html, '/api/cart/add')).toEqual([]);
    expect(html).toContain('Sold out in every finish');
  });

  test('"in your cart": a credentialed amp-list of this product’s lines, in reserved space', async () => {
    const html = await page('/products/alpha-clips');
    const list = html.match(/<amp-list id="in-cart"[\s\S]*?<\/amp-list>/)?.[0] ?? '';
    expect(list).toMatch(
      /^<amp-list id="in-cart" class="in-cart[^"]*" src="\/api\/cart\/product\/alpha-clips" credentials="include" layout="fixed-height" height="112"/,
    );
    // Nothing shows before the answer, or without one: no placeholder or fallback content.
    expect(list).not.toMatch(/<div (placeholder|fallback)/);
    const [set] = formTo(list, '/api/cart/set');
    const [remove] = formTo(list, '/api/cart/remove');
    for (const form of [set, remove]) {
      expect(form).toMatch(/^<form method="post" action-xhr="[^"]+" target="_top"/);
      expect(form).toContain('<input type="hidden" name="sku" value="{{sku}}">');
      expect(form).toMatch(/<div submit-error [^>]*>We could not change your cart/);
    }
    expect(set).toContain('{{#quantityOptions}}{{#selected}}<option value="{{value}}" selected>');
    // Adding refreshes the badge and this list.
    expect(formTo(html, '/api/cart/add')[0]).toContain(
      'on="submit-success:cart-badge.refresh,in-cart.refresh"',
    );
  });

  test('"You may also like": the same category first, then the rest; never the product itself', async () => {
    const related = (html: string) => {
      const section = html.match(/<section class="related"[\s\S]*?<\/section>/)?.[0] ?? '';
      return cardNames(section);
    };
    // Featured order is Big Binder, Cheap Clips, Sold-out Tray, Alpha Clips.
    expect(related(await page('/products/alpha-clips'))).toEqual([
      'Cheap Clips',
      'Big Binder',
      'Sold-out Tray',
    ]);
    expect(related(await page('/products/big-binder'))).toEqual([
      'Cheap Clips',
      'Sold-out Tray',
      'Alpha Clips',
    ]);
    const html = await page('/products/cheap-clips');
    expect(html).toContain('<h2 id="related-heading" class="section-title">You may also like</h2>');
    expect(html).toMatch(
      /<li class="product-card">\s*<a class="product-card-link" href="\/products\/alpha-clips">/,
    );
  });

  test('an unknown product is the 404 page', async () => {
    const html = await page('/products/no-such-clip', undefined, 404);
    expect(html).toContain('We couldn&rsquo;t find that product');
  });
});

describe('GET /cart', () => {
  test('an empty cart says so and links back to the shop', async () => {
    const res = await request(app()).get('/cart').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Your cart is empty');
    expect(res.text).toContain('<a class="button button-primary" href="/">Browse the shop</a>');
    expect(formsOf(res.text)).toEqual([]);
  });

  test('lists lines, with totals in cents and the shipping rule', async () => {
    const res = await request(app()).get('/cart').set('x-test-session', 'shopper').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    expect(html).toContain(
      '<h2 class="cart-line-name"><a href="/products/alpha-clips">Alpha Clips</a></h2>',
    );
    expect(html).toContain('<p class="cart-line-variant">Natural soy, pack of 100</p>');
    expect(html).toContain('<p class="cart-line-unit">$3.00 each</p>');
    expect(html).toContain('<p class="cart-line-total">$6.00</p>');
    expect(html).toContain('<p class="cart-line-total">$7.50</p>');
    expect(html).toMatch(/Subtotal \(3 items\)<\/dt><dd>\$13\.50</);
    expect(html).toContain('<dt>Shipping</dt><dd>$4.95</dd>');
    expect(html).toContain('<dt>Total</dt><dd>$18.45</dd>');
    expect(html).toContain('Free shipping from $25.00: add $11.50 more to get it.');
    expect(html).toContain('style="width:54%"');
  });

  test('a cart with lines has a Checkout button (and no "there is no checkout" note)', async () => {
    const html = await page('/cart', 'shopper');
    expect(html).toContain('<a class="button button-primary" href="/checkout">Checkout</a>');
    expect(html).not.toContain('there is no checkout');
  });

  test('free shipping from $25.00', async () => {
    const html = await page('/cart', 'big-spender');
    expect(html).toMatch(/Subtotal \(12 items\)<\/dt><dd>\$26\.00</);
    expect(html).toContain('<dt>Shipping</dt><dd>Free</dd>');
    expect(html).toContain('<dt>Total</dt><dd>$26.00</dd>');
    expect(html).toContain('Your order ships free');
  });

  test('each line has a set form (quantity 1..limit, current selected) and a remove form', async () => {
    const html = await page('/cart', 'shopper');
    const sets = formTo(html, '/api/cart/set');
    const removes = formTo(html, '/api/cart/remove');
    expect(sets).toHaveLength(2);
    expect(removes).toHaveLength(2);
    for (const form of [...sets, ...removes]) {
      expect(form).toMatch(/^<form method="post" action-xhr="[^"]+" target="_top"/);
      expect(form).toContain('<template type="amp-mustache"><p>{{message}}</p></template>');
      expect(form).toContain(ERROR_TEMPLATE);
    }
    const [alpha, brass] = sets;
    expect(alpha).toContain('<input type="hidden" name="sku" value="AL-1">');
    expect(alpha.match(/<option value="\d+"/g)).toHaveLength(10);
    expect(alpha.match(/<option [^>]*selected>/g)).toEqual(['<option value="2" selected>']);
    // Brass has 5 in stock, so 5 is the most a shopper can choose.
    expect(brass.match(/<option value="(\d+)"/g)?.map((o) => o.replace(/\D/g, ''))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(removes[1]).toContain('<input type="hidden" name="sku" value="BB-2">');
  });

  test('a quantity above what is left stays selected, with a warning', () => {
    const priced = priceCart([{ sku: 'AL-2', quantity: 4 }], catalog);
    const layout = {
      title: 'Cart',
      description: '',
      canonicalUrl: `${ORIGIN}/cart`,
      cartKnown: true,
      cartCount: 4,
    };
    const line = cartView(priced, layout).lines[0];
    expect(line.quantityOptions.map((o) => o.value)).toEqual([1, 2, 4]);
    expect(line.quantityOptions.find((o) => o.selected)?.value).toBe(4);
    expect(line.stockWarning).toBe('Only 2 available now: please lower the quantity.');
  });
});

describe('404', () => {
  test('unknown routes get the AMP 404 page: one document for every such URL', async () => {
    const shop = app();
    const res = await request(shop).get('/no/such/page').expect(404);
    expect(res.headers['cache-control']).toBe(SHARED_CACHE_CONTROL);
    expect(res.text).toContain('We couldn&rsquo;t find that page');
    expect(res.text).toContain(`<link rel="canonical" href="${ORIGIN}/">`);
    expect((await request(shop).get('/elsewhere?x=1').expect(404)).text).toBe(res.text);
    const post = await request(shop).post('/no/such/page').expect(404);
    expect(post.headers['cache-control']).toBe('no-store');
  });
});

describe('GET /checkout', () => {
  const checkoutForm = (html: string) => formTo(html, '/api/checkout');

  test('with the cookie and a cart: what will be ordered, and the form', async () => {
    const html = await page('/checkout', 'shopper');
    const summary = html.match(/<aside class="cart-summary"[\s\S]*?<\/aside>/)?.[0] ?? '';
    expect(summary).toMatch(
      /2 &times; Alpha Clips <span class="muted">Natural soy, pack of 100<\/span><\/span> <span>\$6\.00/,
    );
    expect(summary).toContain('<dt>Total</dt><dd>$18.45</dd>');
    expect(checkoutForm(html)).toHaveLength(1);
  });

  test('the form: amp-form to /api/checkout, with the browser-side rules the server also applies', async () => {
    const [form] = checkoutForm(await page('/checkout', 'shopper'));
    expect(form).toMatch(/^<form method="post" action-xhr="\/api\/checkout" target="_top"/);
    const inputs = form.match(/<input [^>]*>/g) ?? [];
    expect(inputs.map((input) => input.match(/name="(\w+)"/)?.[1])).toEqual([
      'name',
      'email',
      'street',
      'city',
      'postcode',
      'country',
    ]);
    for (const input of inputs) expect(input).toMatch(/ required maxlength="\d+">$/);
    expect(form).toMatch(
      /<input [^>]*type="email" name="email" autocomplete="email" required maxlength="254">/,
    );
    expect(form).toContain('<template type="amp-mustache"><p>{{error}}</p></template>');
    expect(form).toContain(
      '<button type="submit" class="button button-primary">Place order</button>',
    );
  });

  test('without the cookie (the cache’s copy): the form, and a note instead of a cart it cannot see', async () => {
    const html = await page('/checkout');
    expect(checkoutForm(html)).toHaveLength(1);
    expect(html).toContain('We order what is in your BestClips cart');
    expect(html).not.toContain('<dl class="totals">');
  });

  test('with the cookie and an empty cart: says so, no form', async () => {
    const html = await page('/checkout', 'nobody-with-a-cart');
    expect(html).toContain('Your cart is empty');
    expect(formsOf(html)).toEqual([]);
  });
});

describe('GET /contact', () => {
  test('an amp-form to /api/contact: name, email and message, with browser-side rules', async () => {
    const html = await page('/contact');
    const [form, ...others] = formTo(html, '/api/contact');
    expect(others).toEqual([]);
    expect(form).toMatch(/^<form method="post" action-xhr="\/api\/contact" target="_top"/);
    expect(form).toMatch(/<input [^>]*name="name" [^>]*required maxlength="100">/);
    expect(form).toMatch(/<input [^>]*type="email" name="email" [^>]*required maxlength="254">/);
    expect(form).toMatch(
      /<textarea [^>]*name="message" rows="6" required maxlength="2000"><\/textarea>/,
    );
    expect(form).toContain('<template type="amp-mustache"><p>{{message}}</p></template>');
  });
});

describe('AMP validity (official validator)', () => {
  test.each([
    ['home', '/', undefined, 200],
    ['filtered listing', '/?category=Paper%20clips&sort=price-desc', undefined, 200],
    ['listing with a bad query', '/?category=Nope&sort=nope', undefined, 200],
    ['product', '/products/alpha-clips', undefined, 200],
    ['sold-out product', '/products/sold-out-tray', undefined, 200],
    ['empty cart', '/cart', undefined, 200],
    ['cart with lines', '/cart', 'shopper', 200],
    ['checkout with a cart', '/checkout', 'shopper', 200],
    ['checkout without the cookie', '/checkout', undefined, 200],
    ['checkout with an empty cart', '/checkout', 'nobody-with-a-cart', 200],
    ['contact', '/contact', undefined, 200],
    ['product with related products, cookie', '/products/big-binder', 'shopper', 200],
    ['404', '/nowhere', undefined, 404],
  ])(
    '%s page is valid AMP',
    async (label, url, session, status) => {
      await expectValidAmp(await page(url, session, status), `${label} page`);
    },
    60_000,
  );
});
