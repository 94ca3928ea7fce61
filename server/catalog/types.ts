// The shop's catalog as the rest of the server sees it (loaded from data/catalog.json).

/** One buyable version of a product: a finish and a pack size, with its own SKU, price and stock. */
export interface Variant {
  sku: string;
  finish: string;
  packSize: number;
  /** Price in integer cents: money never touches floating point. */
  priceCents: number;
  stock: number;
}

export interface Product {
  slug: string;
  name: string;
  description: string;
  category: string;
  /** Public path of the product's picture, e.g. `/images/jumbo-clips.svg`. */
  image: string;
  variants: Variant[];
}

export interface VariantRef {
  product: Product;
  variant: Variant;
}

export type SortOrder = 'featured' | 'price-asc' | 'price-desc' | 'name';
export const SORT_ORDERS: readonly SortOrder[] = ['featured', 'price-asc', 'price-desc', 'name'];

export interface ListingQuery {
  category?: string;
  sort?: SortOrder;
}

export interface Catalog {
  readonly products: readonly Product[];
  readonly categories: readonly string[];
  findProduct(slug: string): Product | undefined;
  findVariant(sku: string): VariantRef | undefined;
  /** The products a listing shows, in its order; the same (frozen) array every time. */
  list(query: ListingQuery): readonly Product[];
}
