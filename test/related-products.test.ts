import { relatedProducts } from '../server/catalog/related-products';
import type { Product } from '../server/catalog/types';
import { fakeCatalog } from './helpers/fake-catalog';

function product(slug: string, category: string): Product {
  return {
    slug,
    name: slug,
    description: '',
    category,
    image: `/images/${slug}.svg`,
    variants: [],
  };
}

// Featured (file) order, categories interleaved on purpose.
const catalog = fakeCatalog([
  product('a-paper', 'Paper clips'),
  product('b-binder', 'Binder clips'),
  product('c-paper', 'Paper clips'),
  product('d-desk', 'Desk'),
  product('e-paper', 'Paper clips'),
  product('f-binder', 'Binder clips'),
]);
const slugs = (products: Product[]) => products.map((p) => p.slug);
const find = (slug: string) => catalog.findProduct(slug)!;

describe('relatedProducts', () => {
  it('puts the same category first, then the rest, each in featured order', () => {
    expect(slugs(relatedProducts(catalog, find('c-paper')))).toEqual([
      'a-paper',
      'e-paper',
      'b-binder',
      'd-desk',
    ]);
    expect(slugs(relatedProducts(catalog, find('d-desk')))).toEqual([
      'a-paper',
      'b-binder',
      'c-paper',
      'e-paper',
    ]);
  });

  it('never includes the product itself, and stops at the count', () => {
    for (const p of catalog.products) {
      const related = relatedProducts(catalog, p, 10);
      expect(slugs(related)).not.toContain(p.slug);
      expect(related).toHaveLength(catalog.products.length - 1);
    }
    expect(relatedProducts(catalog, find('a-paper'), 2)).toHaveLength(2);
  });

  it('is empty in a shop of one', () => {
    const alone = fakeCatalog([product('only', 'Paper clips')]);
    expect(relatedProducts(alone, alone.products[0])).toEqual([]);
  });
});
