// The product listing: reads ?category= and ?sort= leniently (a bad value is explained and
// replaced by the default), ?page= strictly (a page that is not a page number is a 400, one past
// the end a 404), and builds the view of one page of the listing.
import type { Catalog, Product, SortOrder } from '../catalog/types';
import { SORT_ORDERS } from '../catalog/types';
import { formatCents } from '../cart/cart';
import { paths } from '../paths';
import type {
  HomeView,
  LayoutView,
  LinkOption,
  PaginationView,
  ProductCardView,
} from './view-models';

/** Products per listing page: a multiple of 2, 3 and 4, so every grid row is full. */
export const PAGE_SIZE = 24;

export interface ListingRequest {
  category?: string;
  sort: SortOrder;
  /** 1-based. */
  page: number;
  /** Fixed sentences (never the request's own text): a listing is one document per choice. */
  notices: string[];
  /** Set when ?page= is not a page number at all. */
  badPage?: string;
}

export const LISTING_NOTICES = {
  category: 'We don’t have that category, so here is everything we sell.',
  sort: 'We can’t sort that way, so products are in our featured order.',
};

export const BAD_PAGE = 'Page numbers are whole numbers from 1, like ?page=2.';
const PAGE_NUMBER = /^[1-9]\d{0,5}$/;

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
  const { category, sort, page } = query;
  const request: ListingRequest = { sort: 'featured', page: 1, notices };

  if (typeof category === 'string' && categories.includes(category)) {
    request.category = category;
  } else if (category !== undefined && category !== '') {
    notices.push(LISTING_NOTICES.category);
  }

  if (typeof sort === 'string' && (SORT_ORDERS as readonly string[]).includes(sort)) {
    request.sort = sort as SortOrder;
  } else if (sort !== undefined && sort !== '') {
    notices.push(LISTING_NOTICES.sort);
  }

  if (typeof page === 'string' && PAGE_NUMBER.test(page)) request.page = Number(page);
  else if (page !== undefined && page !== '') request.badPage = BAD_PAGE;
  return request;
}

/** How many pages a listing of `count` products has (an empty one still has its first page). */
export function pageCount(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE_SIZE));
}

/** `/?category=…&sort=…&page=…`, leaving out defaults so every listing page has one URL. */
export function listingHref(category: string | undefined, sort: SortOrder, page = 1): string {
  const params: string[] = [];
  if (category) params.push(`category=${encodeURIComponent(category)}`);
  if (sort !== 'featured') params.push(`sort=${encodeURIComponent(sort)}`);
  if (page > 1) params.push(`page=${page}`);
  return params.length > 0 ? `${paths.home}?${params.join('&')}` : paths.home;
}

/** One page of the listing; `products` is the whole (filtered, sorted) listing. */
export function homeView(
  catalog: Catalog,
  request: ListingRequest,
  products: readonly Product[],
  layout: LayoutView,
): HomeView {
  const { category, sort, page } = request;
  const categoryLinks = [undefined, ...catalog.categories].map((option) =>
    linkOption(option ?? 'All', listingHref(option, sort), option === category),
  );
  const sortLinks = SORT_ORDERS.map((option) =>
    linkOption(SORT_LABELS[option], listingHref(category, option), option === sort),
  );
  const count = `${products.length} ${products.length === 1 ? 'product' : 'products'}`;
  const shown = products.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  return {
    ...layout,
    notice: request.notices.length > 0 ? request.notices.join(' ') : undefined,
    categories: categoryLinks,
    sorts: sortLinks,
    resultCount: category ? `${count} in ${category}` : count,
    products: shown.map(productCard),
    pagination: paginationView(page, pageCount(products.length), (n) =>
      listingHref(category, sort, n),
    ),
  };
}

/**
 * Previous and next, the first and last page, and the two either side of this one: plain links a
 * crawler follows, with the current page marked. Undefined for a listing that fits on one page.
 */
export function paginationView(
  page: number,
  total: number,
  href: (page: number) => string,
): PaginationView | undefined {
  if (total <= 1) return undefined;
  const numbers = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, total])]
    .filter((n) => n >= 1 && n <= total)
    .sort((a, b) => a - b);
  return {
    label: `Page ${page} of ${total}`,
    previous: page > 1 ? href(page - 1) : undefined,
    next: page < total ? href(page + 1) : undefined,
    pages: numbers.map((n, i) => ({
      ...linkOption(String(n), href(n), n === page),
      gapBefore: i > 0 && n - numbers[i - 1] > 1,
    })),
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
