// Reads data/catalog.json once at start-up. A broken catalog stops the server with a message that
// names the file and the field, so a typo is a one-minute fix instead of a mystery at checkout.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Catalog, ListingQuery, Product, SortOrder, VariantRef } from './types';

export class CatalogError extends Error {
  override name = 'CatalogError';
}

const text = z.string().trim().min(1, 'must not be empty');

const variantSchema = z.strictObject({
  sku: z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'must be UPPERCASE letters, digits and dashes'),
  finish: text,
  packSize: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  // Integer cents: money never touches floating point.
  priceCents: z.number().int('must be a whole number of cents').min(1, 'must be at least 1 cent'),
  stock: z.number().int('must be a whole number').min(0, 'must not be negative'),
});

const productSchema = z.strictObject({
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and dashes'),
  name: text,
  description: text,
  category: text,
  image: z
    .string()
    .startsWith('/images/', 'must start with /images/')
    .refine((image) => !image.includes('..'), 'must not contain ".."'),
  variants: z.array(variantSchema).min(2, 'must have at least 2 variants'),
});

const catalogSchema = z.strictObject({
  products: z.array(productSchema).min(1, 'must list at least one product'),
});

export function loadCatalog(filePath: string, publicDir: string): Catalog {
  const file = displayPath(filePath);

  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(filePath, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new CatalogError(`${file}: ${reason} (${(err as Error).message})`);
  }

  const parsed = catalogSchema.safeParse(json, { error: plainMessage });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? `${fieldPath(issue.path)}: ` : '';
      return `${file}: ${where}${issue.message}`;
    });
    throw new CatalogError(problems.join('\n'));
  }

  const products = parsed.data.products;
  const problems = [...findDuplicates(products), ...findMissingImages(products, publicDir)].map(
    (problem) => `${file}: ${problem}`,
  );
  if (problems.length > 0) throw new CatalogError(problems.join('\n'));

  return buildCatalog(products);
}

// zod's defaults ("Invalid input: expected string, received undefined") read like a bug report;
// these read like advice to whoever edits the file.
const kinds: Record<string, string> = {
  string: 'text',
  number: 'a number',
  array: 'a list',
  object: 'an object',
};

function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? 'is missing'
      : `must be ${kinds[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  }
  return undefined;
}

/** Slugs are URLs and SKUs are what carts store: both must point at exactly one thing. */
function findDuplicates(products: Product[]): string[] {
  const problems: string[] = [];
  const slugs = new Map<string, string>();
  const skus = new Map<string, string>();
  products.forEach((product, p) => {
    const at = `products[${p}]`;
    const firstSlug = slugs.get(product.slug);
    if (firstSlug) problems.push(`${at}.slug: "${product.slug}" is already used by ${firstSlug}`);
    else slugs.set(product.slug, at);

    product.variants.forEach((variant, v) => {
      const vat = `${at}.variants[${v}]`;
      const firstSku = skus.get(variant.sku);
      if (firstSku) problems.push(`${vat}.sku: "${variant.sku}" is already used by ${firstSku}`);
      else skus.set(variant.sku, vat);
    });
  });
  return problems;
}

/** A missing picture would only show up as a broken image in the shop, so catch it here. */
function findMissingImages(products: Product[], publicDir: string): string[] {
  // Products share pictures: look each file up once (a large catalog would stat thousands).
  const found = new Map<string, boolean>();
  return products.flatMap((product, p) => {
    const file = path.join(publicDir, product.image);
    let exists = found.get(file);
    if (exists === undefined) {
      exists = fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
      found.set(file, exists);
    }
    return exists ? [] : [`products[${p}].image: ${displayPath(file)} does not exist`];
  });
}

function buildCatalog(products: Product[]): Catalog {
  // Frozen all the way down: prices and stock come from the file, never from a stray assignment.
  for (const product of products) {
    product.variants.forEach((variant) => Object.freeze(variant));
    Object.freeze(product.variants);
    Object.freeze(product);
  }
  Object.freeze(products);

  const bySlug = new Map(products.map((product) => [product.slug, product]));
  const bySku = new Map<string, VariantRef>();
  for (const product of products) {
    for (const variant of product.variants) {
      bySku.set(variant.sku, Object.freeze({ product, variant }));
    }
  }
  const fromPrice = (product: Product) => Math.min(...product.variants.map((v) => v.priceCents));
  const byName = (a: Product, b: Product) => a.name.localeCompare(b.name, 'en');
  const byPrice = (a: Product, b: Product) => fromPrice(a) - fromPrice(b);

  const categories = Object.freeze([...new Set(products.map((product) => product.category))]);
  // Each listing (category × sort) is filtered and sorted once, on first use, then shared.
  const listings = new Map<string, readonly Product[]>();
  const listing = (category: string | undefined, sort: SortOrder): readonly Product[] => {
    // No category (or the empty one an "All" option submits) means the whole shop.
    const shown = products.filter((product) => !category || product.category === category);
    switch (sort) {
      case 'price-asc':
        return shown.sort((a, b) => byPrice(a, b) || byName(a, b));
      case 'price-desc':
        return shown.sort((a, b) => byPrice(b, a) || byName(a, b));
      case 'name':
        return shown.sort(byName);
      default:
        return shown; // 'featured': the order of the file, which the shop owner curates.
    }
  };

  return {
    products,
    categories,
    findProduct: (slug) => bySlug.get(slug),
    findVariant: (sku) => bySku.get(sku),
    list({ category, sort = 'featured' }: ListingQuery): readonly Product[] {
      if (category && !categories.includes(category)) return [];
      const key = `${category ?? ''}\n${sort}`;
      let shown = listings.get(key);
      if (!shown) {
        shown = Object.freeze(listing(category, sort));
        listings.set(key, shown);
      }
      return shown;
    },
  };
}

/** `products[3].variants[1].priceCents`, the way you would find it in the file. */
function fieldPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i > 0 ? '.' : ''}${String(segment)}`,
    )
    .join('');
}

/** Relative to the working directory when inside it: shorter, and what people type. */
function displayPath(filePath: string): string {
  const absolute = path.resolve(filePath);
  const relative = path.relative(process.cwd(), absolute);
  const inside =
    relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
  return inside ? relative : absolute;
}
