// The contact form, read strictly on the server (the page's inputs carry the same rules).
import { personForm, PERSON_MAX_LENGTH, textField, type FieldsResult } from '../amp/form-fields';
import type { RawFields } from '../amp/form-fields';

export interface ContactMessage {
  name: string;
  email: string;
  message: string;
}

/** Longest value per field, in characters: the server's rules and the inputs' maxlength. */
export const CONTACT_MAX_LENGTH: Record<keyof ContactMessage, number> = {
  ...PERSON_MAX_LENGTH,
  message: 2000,
};

const readContactForm = personForm({
  message: textField('Your message', CONTACT_MAX_LENGTH.message, { multiline: true }),
});

export function parseContactMessage(fields: RawFields): FieldsResult<ContactMessage> {
  return readContactForm(fields);
}
