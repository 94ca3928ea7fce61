// A tiny in-memory catalog for unit tests of cart arithmetic, independent of data/catalog.json.
import type { Catalog, Product } from '../../server/catalog/types';

export const fakeProducts: Product[] = [
  {
    slug: 'classic',
    name: 'Classic Clips & Co',
    description: 'Test clips.',
    category: 'Paper clips',
    image: '/images/classic.svg',
    variants: [
      { sku: 'CL-SLV-100', finish: 'Silver', packSize: 100, priceCents: 450, stock: 50 },
      { sku: 'CL-GLD-50', finish: 'Gold', packSize: 50, priceCents: 1299, stock: 3 },
      { sku: 'CL-RSE-50', finish: 'Rosé', packSize: 50, priceCents: 999, stock: 0 },
    ],
  },
];

export function fakeCatalog(products: Product[] = fakeProducts): Catalog {
  const variants = new Map(
    products.flatMap((product) =>
      product.variants.map((variant) => [variant.sku, { product, variant }]),
    ),
  );
  return {
    products,
    categories: [...new Set(products.map((product) => product.category))],
    findProduct: (slug) => products.find((product) => product.slug === slug),
    findVariant: (sku) => variants.get(sku),
    list: () => [...products],
  };
}
