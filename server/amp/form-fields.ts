// Reading untrusted fields (an amp-form body, or the query string of an origin link) strictly:
// each field sent once, no field we do not know, and a sentence naming the field when something is
// wrong — amp-form shows that sentence in the form's submit-error template.
import { z } from 'zod';

/** Raw fields as body parsers and query parsers give them: a repeated field becomes an array. */
export type RawFields = Record<string, unknown>;

export type FieldsResult<T> = { ok: true; value: T } | { ok: false; error: string };

// Control characters have no business in a name or an address; multi-line text (a message) may
// have line breaks and tabs, and nothing else of the kind.
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;

/** A field that must arrive exactly once, as text. `label` names it: "Your name", "The quantity". */
export function singleField(label: string) {
  return z.string({
    error: (issue) =>
      issue.input === undefined ? `${label} is missing.` : `${label} was sent more than once.`,
  });
}

/** Free text a person types: trimmed, required, at most `maxLength` characters. */
export function textField(label: string, maxLength: number, { multiline = false } = {}) {
  // Browsers send a textarea's line breaks as CRLF but count them as one character for
  // maxlength: count (and keep) them the same way.
  const oneKindOfLineBreak = (text: string) => text.replace(/\r\n?/g, '\n');
  return singleField(label)
    .overwrite(oneKindOfLineBreak)
    .trim()
    .min(1, `Please enter ${lowerFirst(label)}.`)
    .max(maxLength, `${label} can be at most ${maxLength} characters long.`)
    .refine(
      (text) => !(multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(text),
      `${label} contains characters we cannot accept.`,
    );
}

/** An email address, checked the way a shop should: something@a-domain.tld, nothing fancier. */
export function emailField(label: string, maxLength: number) {
  return textField(label, maxLength).pipe(
    z.email({ error: `${label} does not look right: it should look like ana@example.com.` }),
  );
}

/** Who is writing, asked the same way by every form that asks (checkout, contact). */
export const PERSON_MAX_LENGTH = { name: 100, email: 254 };

export const personFields = {
  name: textField('Your name', PERSON_MAX_LENGTH.name),
  email: emailField('Your email address', PERSON_MAX_LENGTH.email),
};

/** The reader of a form that asks who is writing, then `fields`; nothing else is accepted. */
export function personForm<Shape extends z.ZodRawShape>(fields: Shape) {
  const schema = z.strictObject({ ...personFields, ...fields });
  return (raw: RawFields) => parseFields(schema, raw);
}

/** Validates fields against a strict schema; unknown or repeated fields are refused. */
export function parseFields<S extends z.ZodType>(
  schema: S,
  fields: RawFields,
): FieldsResult<z.output<S>> {
  if ('__amp_source_origin' in fields) {
    return {
      ok: false,
      error: 'The form sent a field named __amp_source_origin, which is not allowed.',
    };
  }
  const result = schema.safeParse(fields);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const error =
    issue.code === 'unrecognized_keys'
      ? `The form sent a field we do not know: ${issue.keys.map(printableName).join(', ')}.`
      : issue.message;
  return { ok: false, error };
}

/** A field name as the message shows it: as sent when plain, else quoted with escapes, shortened. */
function printableName(name: string): string {
  return /^[\w-]{1,40}$/.test(name) ? name : JSON.stringify(name.slice(0, 40));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
