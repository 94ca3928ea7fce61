import { z } from 'zod';
import { emailField, parseFields, textField } from '../server/amp/form-fields';

const schema = z.strictObject({
  name: textField('Your name', 10),
  note: textField('Your note', 20, { multiline: true }),
  email: emailField('Your email address', 30),
});
const valid = { name: 'Ana', note: 'line 1\nline 2', email: 'ana@example.com' };

describe('parseFields with textField and emailField', () => {
  it('keeps one kind of line break, counting it as one character like the browser', () => {
    const note = `${'x'.repeat(9)}\r\n${'y'.repeat(9)}`; // 19 characters in the textarea
    expect(parseFields(schema, { ...valid, note })).toEqual({
      ok: true,
      value: { ...valid, note: `${'x'.repeat(9)}\n${'y'.repeat(9)}` },
    });
  });

  it('trims and accepts', () => {
    expect(parseFields(schema, { ...valid, name: '  Ana  ' })).toEqual({
      ok: true,
      value: { ...valid, name: 'Ana' },
    });
  });

  it.each([
    [{ note: 'n', email: 'a@b.co' }, 'Your name is missing.'],
    [{ ...valid, name: ['A', 'B'] }, 'Your name was sent more than once.'],
    [{ ...valid, name: ' ' }, 'Please enter your name.'],
    [{ ...valid, name: 'x'.repeat(11) }, 'Your name can be at most 10 characters long.'],
    [{ ...valid, name: 'a\tb' }, 'Your name contains characters we cannot accept.'],
    [{ ...valid, note: 'bell\u0007' }, 'Your note contains characters we cannot accept.'],
    [
      { ...valid, email: 'ana@example' },
      'Your email address does not look right: it should look like ana@example.com.',
    ],
    [
      { ...valid, email: 'x'.repeat(25) + '@b.com' },
      'Your email address can be at most 30 characters long.',
    ],
    [{ ...valid, extra: '1' }, 'The form sent a field we do not know: extra.'],
    [{ ...valid, '\n': 'Ana' }, 'The form sent a field we do not know: "\\n".'],
    [
      { ...valid, ['<b>' + 'x'.repeat(50)]: '1' },
      `The form sent a field we do not know: "<b>${'x'.repeat(37)}".`,
    ],
    [
      { ...valid, __amp_source_origin: 'https://evil.example' },
      'The form sent a field named __amp_source_origin, which is not allowed.',
    ],
  ])('%o → %s', (fields, error) => {
    expect(parseFields(schema, fields)).toEqual({ ok: false, error });
  });
});
