// The product page's view: variants as radio choices, with the quantity limit of each.
import type { Product, Variant } from '../catalog/types';
import { formatCents, maxQuantityFor, variantLabel } from '../cart/cart';
import { fromPriceCents, listingHref, productCard } from './listing-view';
import type { LayoutView, ProductView, VariantOptionView } from './view-models';

/** At or below this, the page says how many are left. */
export const LOW_STOCK = 3;

/** `related` comes from relatedProducts() (catalog/related-products.ts). */
export function productView(product: Product, related: Product[], layout: LayoutView): ProductView {
  // The first variant a shopper can actually buy starts checked.
  const firstInStock = product.variants.find((variant) => maxQuantityFor(variant) > 0);
  return {
    ...layout,
    slug: product.slug,
    name: product.name,
    description: product.description,
    category: product.category,
    categoryHref: listingHref(product.category, 'featured'),
    image: product.image,
    fromPrice: formatCents(fromPriceCents(product)),
    available: firstInStock !== undefined,
    initialMax: firstInStock ? maxQuantityFor(firstInStock) : 1,
    variants: product.variants.map((variant) => variantOption(variant, variant === firstInStock)),
    related: related.map(productCard),
    hasRelated: related.length > 0,
  };
}

function variantOption(variant: Variant, checked: boolean): VariantOptionView {
  const maxQuantity = maxQuantityFor(variant);
  const price = formatCents(variant.priceCents);
  return {
    sku: variant.sku,
    finish: variant.finish,
    packSize: variant.packSize,
    price,
    label: `${variantLabel(variant)} · ${price}`,
    maxQuantity,
    checked,
    selectable: !checked && maxQuantity > 0,
    disabled: maxQuantity === 0,
    stockNote: stockNote(variant.stock),
  };
}

function stockNote(stock: number): string | undefined {
  if (stock === 0) return 'Out of stock';
  if (stock <= LOW_STOCK) return `Only ${stock} left`;
  return undefined;
}
