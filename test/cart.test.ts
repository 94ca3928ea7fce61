import {
  applyCartChange,
  MAX_CART_LINES,
  priceCart,
  shippingFor,
  type Cart,
} from '../server/cart/cart';
import { fakeCatalog, fakeProducts } from './helpers/fake-catalog';

const catalog = fakeCatalog();

function expectCart(result: ReturnType<typeof applyCartChange>): Cart {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.cart;
}

describe('applyCartChange', () => {
  it('adds a new line, then adds to the same line', async () => {
    const once = expectCart(
      applyCartChange([], { op: 'add', sku: 'CL-SLV-100', quantity: 2 }, catalog),
    );
    const twice = expectCart(
      applyCartChange(once, { op: 'add', sku: 'CL-SLV-100', quantity: 3 }, catalog),
    );
    expect(twice).toEqual([{ sku: 'CL-SLV-100', quantity: 5 }]);
  });

  it('refuses to go above the per-line cap of 10', async () => {
    const cart = [{ sku: 'CL-SLV-100', quantity: 9 }];
    const result = applyCartChange(cart, { op: 'add', sku: 'CL-SLV-100', quantity: 2 }, catalog);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('at most 10') });
  });

  it('refuses to go above stock, and says how many are already in the cart', async () => {
    const cart = [{ sku: 'CL-GLD-50', quantity: 2 }];
    const result = applyCartChange(cart, { op: 'add', sku: 'CL-GLD-50', quantity: 2 }, catalog);
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/at most 3 .*already have 2/),
    });
  });

  it('refuses out-of-stock variants and unknown SKUs', async () => {
    expect(
      applyCartChange([], { op: 'add', sku: 'CL-RSE-50', quantity: 1 }, catalog),
    ).toMatchObject({
      ok: false,
      error: expect.stringContaining('out of stock'),
    });
    expect(applyCartChange([], { op: 'add', sku: 'NOPE', quantity: 1 }, catalog)).toMatchObject({
      ok: false,
    });
  });

  it('sets a quantity in place, keeping line order', async () => {
    const cart = [
      { sku: 'CL-SLV-100', quantity: 1 },
      { sku: 'CL-GLD-50', quantity: 1 },
    ];
    const result = expectCart(
      applyCartChange(cart, { op: 'set', sku: 'CL-SLV-100', quantity: 7 }, catalog),
    );
    expect(result).toEqual([
      { sku: 'CL-SLV-100', quantity: 7 },
      { sku: 'CL-GLD-50', quantity: 1 },
    ]);
  });

  it('removes a line, and removing a missing line is a harmless no-op', async () => {
    const cart = [{ sku: 'CL-SLV-100', quantity: 1 }];
    expect(expectCart(applyCartChange(cart, { op: 'remove', sku: 'CL-SLV-100' }, catalog))).toEqual(
      [],
    );
    expect(expectCart(applyCartChange(cart, { op: 'remove', sku: 'CL-GLD-50' }, catalog))).toBe(
      cart,
    );
  });

  it('never mutates the cart it was given', async () => {
    const cart = Object.freeze([Object.freeze({ sku: 'CL-SLV-100', quantity: 1 })]);
    expect(() =>
      applyCartChange(cart, { op: 'set', sku: 'CL-SLV-100', quantity: 2 }, catalog),
    ).not.toThrow();
    expect(cart).toEqual([{ sku: 'CL-SLV-100', quantity: 1 }]);
  });
});

describe('priceCart', () => {
  it('prices lines from the catalog in integer cents with the shipping rule', async () => {
    const priced = priceCart(
      [
        { sku: 'CL-SLV-100', quantity: 3 },
        { sku: 'GONE-FROM-CATALOG', quantity: 1 },
      ],
      catalog,
    );
    expect(priced.lines.map((line) => line.lineTotalCents)).toEqual([1350]);
    expect(priced).toMatchObject({
      itemCount: 3,
      subtotalCents: 1350,
      shippingCents: 495,
      totalCents: 1845,
    });
  });

  it('ships free from $25 and charges nothing for an empty cart', async () => {
    expect(shippingFor(0)).toBe(0);
    expect(shippingFor(2499)).toBe(495);
    expect(shippingFor(2500)).toBe(0);
  });
});

describe('cart line cap', () => {
  it(`refuses a new line past ${MAX_CART_LINES} lines but still changes existing ones`, async () => {
    const products = Array.from({ length: MAX_CART_LINES + 1 }, (_, i) => ({
      ...fakeProducts[0],
      slug: `p${i}`,
      variants: [{ sku: `SKU-${i}`, finish: 'Silver', packSize: 1, priceCents: 100, stock: 5 }],
    }));
    const many = fakeCatalog(products);
    const full = products
      .slice(0, MAX_CART_LINES)
      .map((p) => ({ sku: p.variants[0].sku, quantity: 1 }));
    expect(
      applyCartChange(full, { op: 'add', sku: `SKU-${MAX_CART_LINES}`, quantity: 1 }, many),
    ).toEqual({
      ok: false,
      error: `Your cart can hold at most ${MAX_CART_LINES} different items.`,
    });
    expect(applyCartChange(full, { op: 'add', sku: 'SKU-0', quantity: 1 }, many).ok).toBe(true);
  });
});
