// The checkout form, read strictly on the server. The page's inputs carry the same rules
// (required, type=email, maxlength) so the browser catches most mistakes first; this is what
// counts. Every error is a sentence naming the field, for the form's submit-error message.
import { personForm, PERSON_MAX_LENGTH, textField, type FieldsResult } from '../amp/form-fields';
import type { RawFields } from '../amp/form-fields';
import type { CustomerDetails } from '../orders/order';

/** Longest value per field, in characters: the server's rules and the inputs' maxlength. */
export const CHECKOUT_MAX_LENGTH: Record<keyof CustomerDetails, number> = {
  ...PERSON_MAX_LENGTH,
  street: 200,
  city: 100,
  postcode: 16,
  country: 60,
};

const max = CHECKOUT_MAX_LENGTH;

const readCheckoutForm = personForm({
  street: textField('Your street address', max.street),
  city: textField('Your town or city', max.city),
  postcode: textField('Your postcode', max.postcode).regex(
    /^[\p{L}\p{N}][\p{L}\p{N} -]*$/u,
    'Your postcode can only have letters, digits, spaces and dashes.',
  ),
  country: textField('Your country', max.country),
});

export function parseCheckoutDetails(fields: RawFields): FieldsResult<CustomerDetails> {
  return readCheckoutForm(fields);
}
