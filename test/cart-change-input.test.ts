import { parseCartChange } from '../server/flow/cart-change-input';

describe('parseCartChange', () => {
  it('reads add, set and remove', () => {
    expect(parseCartChange('add', { sku: 'CL-SLV-100', quantity: '2' })).toEqual({
      ok: true,
      change: { op: 'add', sku: 'CL-SLV-100', quantity: 2 },
    });
    expect(parseCartChange('set', { sku: 'CL-SLV-100', quantity: '10' })).toMatchObject({
      ok: true,
    });
    expect(parseCartChange('remove', { sku: 'CL-SLV-100' })).toEqual({
      ok: true,
      change: { op: 'remove', sku: 'CL-SLV-100' },
    });
  });

  it.each([
    ['0', 'between 1 and 10'],
    ['11', 'between 1 and 10'],
    ['-1', 'between 1 and 10'],
    ['1.5', 'between 1 and 10'],
    ['1e1', 'between 1 and 10'],
    ['0x5', 'between 1 and 10'],
    [' 2', 'between 1 and 10'],
    ['', 'between 1 and 10'],
    ['two', 'between 1 and 10'],
    ['010', 'between 1 and 10'],
  ])('refuses the quantity %j', (quantity, message) => {
    expect(parseCartChange('add', { sku: 'CL-SLV-100', quantity })).toEqual({
      ok: false,
      error: expect.stringContaining(message),
    });
  });

  it('names what is missing, repeated or unknown, in a sentence', () => {
    expect(parseCartChange('add', { quantity: '1' })).toEqual({
      ok: false,
      error: 'The product option is missing.',
    });
    expect(parseCartChange('add', { sku: ['A', 'B'], quantity: '1' })).toEqual({
      ok: false,
      error: 'The product option was sent more than once.',
    });
    expect(parseCartChange('remove', { sku: 'CL-SLV-100', price: '1' })).toEqual({
      ok: false,
      error: 'The form sent a field we do not know: price.',
    });
  });

  it('refuses a form field named __amp_source_origin', () => {
    const result = parseCartChange('add', {
      sku: 'CL-SLV-100',
      quantity: '1',
      __amp_source_origin: 'https://evil.example',
    });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('__amp_source_origin') });
  });

  it('refuses SKUs with characters a SKU never has', () => {
    expect(parseCartChange('remove', { sku: 'A&B' })).toMatchObject({ ok: false });
    expect(parseCartChange('remove', { sku: 'x'.repeat(65) })).toMatchObject({ ok: false });
  });
});
