/**
 * Jest globalSetup (unit project): fetch the AMP validator once, before any worker starts, so test
 * files never race to download it. A failure (e.g. offline) does not stop the run: tests that
 * don't validate AMP still run, and those that do fail with this message (see helpers).
 */
import { ensureAmpValidator } from '../scripts/fetch-amp-validator';

export default function globalSetup(): void {
  try {
    ensureAmpValidator();
  } catch (error) {
    const message = (error as Error).message;
    console.warn(`\n${message}\nTests that validate AMP will fail.`);
    process.env.AMP_VALIDATOR_FETCH_ERROR = message;
  }
}
