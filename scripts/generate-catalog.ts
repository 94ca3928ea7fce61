/**
 * Writes a large test catalog, to see the shop (and `npm run bench`) at scale. The shop's own
 * catalog stays data/catalog.json; start the shop on a generated one with CATALOG_FILE.
 *
 * Usage: npx tsx scripts/generate-catalog.ts [count=10000] [file=.cache/catalog-10000.json]
 *
 * Deterministic: the same count always gives the same file. Pictures reuse the shop's own, so the
 * catalog passes the same checks as the real one (every image must exist in public/).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Product } from '../server/catalog/types';

const CATEGORIES = ['Paper clips', 'Binder clips', 'Push pins', 'Desk accessories', 'Kits'];
const IMAGES = [
  'classic-paper-clips',
  'jumbo-paper-clips',
  'binder-clips',
  'bulldog-clips',
  'butterfly-clips',
  'rainbow-vinyl-clips',
  'spring-clips',
  'superclip',
  'washi-clips',
  'soy-push-pins',
  'soy-desk-tray',
  'magnetic-clip-dispenser',
  'clips-and-pins-starter-kit',
];
const ADJECTIVES = ['Classic', 'Jumbo', 'Mini', 'Soft-grip', 'Matte', 'Bright', 'Studio', 'Pocket'];
const FINISHES = ['Natural soy', 'Charcoal', 'Meadow green', 'Sky blue'];

export function generateCatalog(count: number): { products: Product[] } {
  const products = Array.from({ length: count }, (_, i): Product => {
    const n = String(i + 1).padStart(5, '0');
    const category = CATEGORIES[i % CATEGORIES.length];
    const name = `${ADJECTIVES[i % ADJECTIVES.length]} ${category.replace(/s$/, '')} No. ${n}`;
    // Prices and stock vary with i, so every sort order differs from the featured one.
    const base = 150 + ((i * 37) % 1800);
    return {
      slug: `item-${n}`,
      name,
      description: `${name}: a generated product for testing the shop with a large catalog.`,
      category,
      image: `/images/${IMAGES[i % IMAGES.length]}.svg`,
      variants: [0, 1, 2].slice(0, 2 + (i % 2)).map((v) => ({
        sku: `GEN-${n}-${v + 1}`,
        finish: FINISHES[(i + v) % FINISHES.length],
        packSize: 50 * (v + 1),
        priceCents: base + v * 200,
        stock: (i + v) % 7 === 0 ? 0 : 20 + ((i * 13 + v) % 200),
      })),
    };
  });
  return { products };
}

/** Writes the catalog as JSON and returns its path. */
export function writeCatalog(count: number, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(generateCatalog(count)));
  return file;
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 10_000);
  if (!Number.isInteger(count) || count < 1) {
    console.error('Usage: generate-catalog.ts [count] [file]: count must be a whole number ≥ 1');
    process.exit(1);
  }
  const file = path.resolve(process.argv[3] ?? path.join('.cache', `catalog-${count}.json`));
  writeCatalog(count, file);
  console.log(`Wrote ${count} products to ${path.relative(process.cwd(), file)}`);
}
