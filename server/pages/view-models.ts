// The data each page template renders. Everything is display-ready (prices already formatted,
// flags already decided): templates only place values, they never compute.
import type { TraceView } from './trace-view';
import type { CustomerDetails } from '../orders/order';

/** Filled on every page by the page handlers (shop-pages.ts). */
export interface LayoutView {
  title: string;
  description: string;
  /** Absolute: the shop's public origin plus the page's path (and query, for the listing). */
  canonicalUrl: string;
  /**
   * The header's cart badge as first painted: a count only on a page about one shopper that came
   * with their cookie; a shared page always says just "Cart" (its amp-list fills in the count).
   */
  cartKnown: boolean;
  cartCount: number;
  /**
   * Slot for later work: a "view this page from the AMP cache" link on origin pages.
   * Left undefined, nothing renders (see views/partials/origin-banner.html).
   */
  originBanner?: OriginBanner;
}

export interface OriginBanner {
  href: string;
  label: string;
}

/** A link in a group where one is current (category chips, sort links). */
export interface LinkOption {
  label: string;
  href: string;
  current: boolean;
  ariaCurrent: 'page' | 'false';
}

export interface ProductCardView {
  name: string;
  href: string;
  image: string;
  category: string;
  fromPrice: string;
  soldOut: boolean;
}

export interface PageLinkView extends LinkOption {
  /** Pages were skipped before this one (an ellipsis goes there). */
  gapBefore: boolean;
}

export interface PaginationView {
  /** "Page 2 of 417". */
  label: string;
  previous?: string;
  next?: string;
  pages: PageLinkView[];
}

export interface HomeView extends LayoutView {
  /** Said when a query parameter made no sense and we fell back to a default. */
  notice?: string;
  categories: LinkOption[];
  sorts: LinkOption[];
  resultCount: string;
  products: ProductCardView[];
  /** Undefined when the listing fits on one page. */
  pagination?: PaginationView;
}

export interface VariantOptionView {
  sku: string;
  finish: string;
  packSize: number;
  price: string;
  /** For selects: finish, pack size and price in one line. */
  label: string;
  maxQuantity: number;
  /** Exactly one of these three is true: radios need element-level sections, not attributes. */
  checked: boolean;
  selectable: boolean;
  disabled: boolean;
  stockNote?: string;
}

export interface ProductView extends LayoutView {
  slug: string;
  name: string;
  description: string;
  category: string;
  categoryHref: string;
  image: string;
  fromPrice: string;
  /** False when every variant is out of stock: no add-to-cart form then. */
  available: boolean;
  /** The quantity limit of the variant that starts checked. */
  initialMax: number;
  variants: VariantOptionView[];
  /** "You may also like": same category first, never this product. */
  related: ProductCardView[];
  hasRelated: boolean;
}

export interface QuantityOption {
  value: number;
  selected: boolean;
}

export interface CartLineView {
  sku: string;
  name: string;
  href: string;
  image: string;
  variant: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
  quantityOptions: QuantityOption[];
  stockWarning?: string;
}

/** Subtotal, shipping and total, formatted (views/partials/totals.html). */
export interface TotalsView {
  itemCountLabel: string;
  subtotal: string;
  shipping: string;
  total: string;
}

export interface CartView extends LayoutView, TotalsView {
  /** How the shopper's last change travelled through the flow (the trace panel). */
  trace?: TraceView;
  hasLines: boolean;
  lines: CartLineView[];
  shippingNote: string;
  /** 0..100: how far the subtotal is towards free shipping. */
  freeShippingPercent: number;
}

/** A page that explains something (not found, a link that no longer works, cookies needed). */
export interface MessageView extends LayoutView {
  eyebrow: string;
  heading: string;
  message: string;
  link: { href: string; text: string };
}

/** One line of an order, or of the order about to be placed. */
export interface OrderLineView {
  name: string;
  variant: string;
  quantity: number;
  lineTotal: string;
}

export interface OrderSummaryView extends TotalsView {
  lines: OrderLineView[];
}

/** `maxlength` of each input: the same numbers the server's validation uses. */
export type MaxLengths = Record<string, number>;

export interface CheckoutView extends LayoutView {
  /** False only when we know the cart and it is empty. */
  showForm: boolean;
  /** What will be ordered, when we know (the request came with the session cookie). */
  summary?: OrderSummaryView;
  maxLength: MaxLengths;
}

export interface OrderView extends LayoutView, OrderSummaryView {
  orderNumber: string;
  placedOn: string;
  customer: CustomerDetails;
}

/** Step 4 for orders: what would be ordered, and where it would go, before "Place order". */
export interface ConfirmOrderView extends LayoutView {
  /** This session's cart; undefined when there is nothing to order (then no button either). */
  summary?: OrderSummaryView;
  customer: CustomerDetails;
  /** The id of the held details: the "Place order" form's only field. */
  pendingId: string;
}

export interface ContactView extends LayoutView {
  maxLength: MaxLengths;
}

export interface PageViews {
  home: HomeView;
  product: ProductView;
  cart: CartView;
  message: MessageView;
  checkout: CheckoutView;
  order: OrderView;
  'confirm-order': ConfirmOrderView;
  contact: ContactView;
}
