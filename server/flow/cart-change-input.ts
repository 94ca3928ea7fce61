// Reading a cart change from untrusted input: the amp-form body of a POST (step 3) or the query
// string of the apply URL (step 4). One schema for both, so both paths accept exactly the same.
import { z } from 'zod';
import { MAX_QUANTITY_PER_LINE, type CartChange } from '../cart/cart';
import { parseFields, singleField, type RawFields } from '../amp/form-fields';

export type { RawFields } from '../amp/form-fields';

export const CART_OPS = ['add', 'set', 'remove'] as const;
export type CartOp = (typeof CART_OPS)[number];

export type ParsedChange = { ok: true; change: CartChange } | { ok: false; error: string };

const sku = singleField('The product option')
  .trim()
  .min(1, 'Please choose a product option.')
  .max(64, 'That product option is not valid.')
  .regex(/^[A-Za-z0-9-]+$/, 'That product option is not valid.');

// Strict: only plain decimal digits, so "1e3", "0x10", "1.5", " 2" and "+3" are all refused.
const quantity = singleField('The quantity')
  .regex(/^[1-9]\d{0,2}$/, `Please choose a quantity between 1 and ${MAX_QUANTITY_PER_LINE}.`)
  .transform(Number)
  .pipe(
    z
      .number()
      .min(1, `Please choose a quantity between 1 and ${MAX_QUANTITY_PER_LINE}.`)
      .max(
        MAX_QUANTITY_PER_LINE,
        `Please choose a quantity between 1 and ${MAX_QUANTITY_PER_LINE}.`,
      ),
  );

const schemas = {
  add: z.strictObject({ sku, quantity }),
  set: z.strictObject({ sku, quantity }),
  remove: z.strictObject({ sku }),
};

export function isCartOp(value: unknown): value is CartOp {
  return typeof value === 'string' && (CART_OPS as readonly string[]).includes(value);
}

/** Validates the fields of one cart operation; unknown or repeated fields are refused. */
export function parseCartChange(op: CartOp, fields: RawFields): ParsedChange {
  const parsed = parseFields(schemas[op], fields);
  return parsed.ok ? { ok: true, change: { op, ...parsed.value } as CartChange } : parsed;
}
