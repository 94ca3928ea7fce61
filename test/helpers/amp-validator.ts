/**
 * The official AMP validator, offline: the `amphtml-validator` package running the engine
 * (validator_wasm.js) that scripts/fetch-amp-validator.ts caches in .cache/amp-validator/.
 *
 * It is always given that local path, so it never downloads anything from cdn.ampproject.org.
 * One instance per Jest test file (Jest isolates module state per file); loading takes ~1 s.
 */
import { ensureAmpValidator } from '../../scripts/fetch-amp-validator';

// amphtml-validator ships no type declarations; these are the parts we use.
interface ValidatorError {
  severity: 'ERROR' | 'WARNING' | 'UNKNOWN_SEVERITY';
  line: number;
  col: number;
  code: string;
  message: string;
  specUrl?: string | null;
}
interface Validator {
  validateString(html: string, htmlFormat?: string): { status: string; errors: ValidatorError[] };
}
interface AmphtmlValidator {
  getInstance(validatorJsPath: string): Promise<Validator>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const amphtmlValidator = require('amphtml-validator') as AmphtmlValidator;

export interface AmpValidationResult {
  status: 'PASS' | 'FAIL';
  /** `line:col CODE message (specUrl)`, one per error. */
  errors: string[];
  /** Same format; warnings do not make a document FAIL. */
  warnings: string[];
}

let validator: Promise<Validator> | undefined;

function getValidator(): Promise<Validator> {
  if (!validator) {
    // Set by test/global-setup.ts when the download failed there: fail fast with the same reason
    // instead of retrying the download in every test file.
    const setupError = process.env.AMP_VALIDATOR_FETCH_ERROR;
    validator = setupError
      ? Promise.reject(new Error(setupError))
      : Promise.resolve().then(() => amphtmlValidator.getInstance(ensureAmpValidator()));
  }
  return validator;
}

function format(error: ValidatorError): string {
  const where = `${error.line}:${error.col} ${error.code} ${error.message}`;
  return error.specUrl ? `${where} (${error.specUrl})` : where;
}

export async function validateAmp(html: string): Promise<AmpValidationResult> {
  const result = (await getValidator()).validateString(html, 'AMP');
  const errors = result.errors.filter((e) => e.severity === 'ERROR');
  return {
    // The engine can also report UNKNOWN; only an explicit PASS counts.
    status: result.status === 'PASS' ? 'PASS' : 'FAIL',
    errors: errors.map(format),
    warnings: result.errors.filter((e) => e.severity !== 'ERROR').map(format),
  };
}

/** Throws a readable error (each error followed by its source line) unless `html` is valid AMP. */
export async function expectValidAmp(html: string, label: string): Promise<void> {
  const { status, errors } = await validateAmp(html);
  if (status === 'PASS') return;
  const lines = html.split('\n');
  const details = errors.map((error) => {
    const source = lines[Number(error.split(':')[0]) - 1]?.trim().slice(0, 160) ?? '';
    return `  ${error}\n      > ${source}`;
  });
  throw new Error(`${label} is not valid AMP (${errors.length} error(s)):\n${details.join('\n')}`);
}
