// The product listing: reads ?category= and ?sort= leniently (a bad value is explained and
// replaced by the default, never an error page) and builds the listing's view.
import type { Catalog, Product, SortOrder } from '../catalog/types';
import { SORT_ORDERS } from '../catalog/types';
import { formatCents } from '../cart/cart';
import { paths } from '../paths';
import type { HomeView, LayoutView, LinkOption, ProductCardView } from './view-models';

export interface ListingRequest {
  category?: string;
  sort: SortOrder;
  notices: string[];
}

const SORT_LABELS: Record<SortOrder, string> = {
  featured: 'Featured',
  'price-asc': 'Lowest price',
  'price-desc': 'Highest price',
  name: 'Name',
};

export function readListingQuery(
  query: Record<string, unknown>,
  categories: readonly string[],
): ListingRequest {
  const notices: string[] = [];
  const category = query.category;
  const sort = query.sort;
  const request: ListingRequest = { sort: 'featured', notices };

  if (typeof category === 'string' && categories.includes(category)) {
    request.category = category;
  } else if (category !== undefined && category !== '') {
    const named = typeof category === 'string' ? ` called “${shorten(category)}”` : ' like that';
    notices.push(`We don’t have a category${named}, so here is everything we sell.`);
  }

  if (typeof sort === 'string' && (SORT_ORDERS as readonly string[]).includes(sort)) {
    request.sort = sort as SortOrder;
  } else if (sort !== undefined && sort !== '') {
    notices.push('We can’t sort that way, so products are in our featured order.');
  }
  return request;
}

/** `/?category=…&sort=…`, leaving out defaults so every listing has one URL. */
export function listingHref(category: string | undefined, sort: SortOrder): string {
  const params: string[] = [];
  if (category) params.push(`category=${encodeURIComponent(category)}`);
  if (sort !== 'featured') params.push(`sort=${encodeURIComponent(sort)}`);
  return params.length > 0 ? `${paths.home}?${params.join('&')}` : paths.home;
}

export function homeView(catalog: Catalog, request: ListingRequest, layout: LayoutView): HomeView {
  const { category, sort } = request;
  const products = catalog.list({ category, sort });
  const categoryLinks = [undefined, ...catalog.categories].map((option) =>
    linkOption(option ?? 'All', listingHref(option, sort), option === category),
  );
  const sortLinks = SORT_ORDERS.map((option) =>
    linkOption(SORT_LABELS[option], listingHref(category, option), option === sort),
  );
  const count = `${products.length} ${products.length === 1 ? 'product' : 'products'}`;

  return {
    ...layout,
    notice: request.notices.length > 0 ? request.notices.join(' ') : undefined,
    categories: categoryLinks,
    sorts: sortLinks,
    resultCount: category ? `${count} in ${category}` : count,
    products: products.map(productCard),
  };
}

export function fromPriceCents(product: Product): number {
  return Math.min(...product.variants.map((variant) => variant.priceCents));
}

export function productCard(product: Product): ProductCardView {
  return {
    name: product.name,
    href: paths.product(product.slug),
    image: product.image,
    category: product.category,
    fromPrice: formatCents(fromPriceCents(product)),
    soldOut: product.variants.every((variant) => variant.stock === 0),
  };
}

function linkOption(label: string, href: string, current: boolean): LinkOption {
  return { label, href, current, ariaCurrent: current ? 'page' : 'false' };
}

/** Echoed user input stays short (Mustache escapes it; this keeps the notice readable). */
function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
