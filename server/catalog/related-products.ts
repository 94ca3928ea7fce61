// "You may also like" on a product page: products from the same category first, then the rest,
// each group in the shop's featured order; never the product itself.
import type { Catalog, Product } from './types';

export const RELATED_COUNT = 4;

export function relatedProducts(
  catalog: Catalog,
  product: Product,
  count = RELATED_COUNT,
): Product[] {
  const others = catalog.products.filter((candidate) => candidate.slug !== product.slug);
  const sameCategory = others.filter((candidate) => candidate.category === product.category);
  const elsewhere = others.filter((candidate) => candidate.category !== product.category);
  return [...sameCategory, ...elsewhere].slice(0, count);
}
