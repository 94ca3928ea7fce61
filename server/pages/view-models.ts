// The data each page template renders. Everything is display-ready (prices already formatted,
// flags already decided): templates only place values, they never compute.

/** Filled on every page by the page router. */
export interface LayoutView {
  title: string;
  description: string;
  /** Absolute: the shop's public origin plus the page's path (and query, for the listing). */
  canonicalUrl: string;
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

export interface HomeView extends LayoutView {
  /** Said when a query parameter made no sense and we fell back to a default. */
  notice?: string;
  categories: LinkOption[];
  sorts: LinkOption[];
  resultCount: string;
  products: ProductCardView[];
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
  unitPrice: string;
  lineTotal: string;
  quantityOptions: QuantityOption[];
  stockWarning?: string;
}

export interface CartView extends LayoutView {
  hasLines: boolean;
  lines: CartLineView[];
  itemCountLabel: string;
  subtotal: string;
  shipping: string;
  total: string;
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

export interface PageViews {
  home: HomeView;
  product: ProductView;
  cart: CartView;
  message: MessageView;
}
