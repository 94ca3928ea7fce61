// Records the shop keeps in Redis as JSON strings (orders, held checkout details, receipts). Only
// the shop writes them, so reading one back is a parse, not a validation.

export function toJson(value: object): string {
  return JSON.stringify(value);
}

/** The record a GET found, or undefined for a missing (or expired) key. */
export function fromJson<T extends object>(stored: string | null): T | undefined {
  return stored === null ? undefined : (JSON.parse(stored) as T);
}
