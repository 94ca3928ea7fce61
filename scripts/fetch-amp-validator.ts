/**
 * Makes the official AMP validator engine available offline, for tests.
 *
 * The engine (validator_wasm.js, ~4 MB) is not published on npm by itself, but the `next` package
 * ships a copy. We `npm pack` one pinned version of `next` (a ~31 MB tarball, never installed),
 * extract only that file into .cache/amp-validator/ and check its sha256.
 *
 * Idempotent: does nothing when the cached file exists and has the pinned checksum.
 * Usage: npx tsx scripts/fetch-amp-validator.ts (tests call ensureAmpValidator() themselves).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// To upgrade: bump NEXT_VERSION, delete .cache/amp-validator, run this script, and paste the sha256
// from the mismatch error here (after checking the new validator against the test suite).
export const NEXT_VERSION = '15.5.29';
export const VALIDATOR_SHA256 = 'f1f4629ab36f555f5a9937a5cf00f0ef780bf025883c035d06389b151c896f26';

const FILE_IN_TARBALL = 'package/dist/compiled/amphtml-validator/validator_wasm.js';
const CACHE_DIR = path.resolve(__dirname, '..', '.cache', 'amp-validator');
export const VALIDATOR_PATH = path.join(CACHE_DIR, 'validator_wasm.js');

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function run(command: string, args: string[], cwd: string): void {
  try {
    execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    const lines = (e.stderr?.toString() ?? '')
      .split('\n')
      .filter((l) => l && !/^\S+ error\s+at /.test(l));
    const output = lines.slice(0, 5).join('\n') || e.message;
    throw new Error(`\`${command} ${args.join(' ')}\` failed:\n${output}`, { cause: error });
  }
}

/** Returns the absolute path of the cached validator_wasm.js, downloading it first if needed. */
export function ensureAmpValidator(): string {
  if (fs.existsSync(VALIDATOR_PATH)) {
    if (sha256(VALIDATOR_PATH) === VALIDATOR_SHA256) return VALIDATOR_PATH;
    console.warn(`[amp-validator] ${VALIDATOR_PATH} has the wrong sha256; fetching it again.`);
    fs.rmSync(VALIDATOR_PATH, { force: true });
  }

  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // A private temp dir next to the target, so the final rename is atomic even if two processes race.
  const tmp = fs.mkdtempSync(path.join(CACHE_DIR, 'tmp-'));
  const started = Date.now();
  try {
    console.warn(
      `[amp-validator] Fetching validator_wasm.js from next@${NEXT_VERSION} (npm pack)…`,
    );
    try {
      // Fewer/shorter retries than npm's defaults (~70 s) so an offline run fails in ~12 s.
      const retries = [
        '--fetch-retries=2',
        '--fetch-retry-mintimeout=2000',
        '--fetch-retry-maxtimeout=10000',
      ];
      run('npm', ['pack', `next@${NEXT_VERSION}`, '--pack-destination', tmp, ...retries], tmp);
    } catch (error) {
      throw new Error(
        `[amp-validator] Could not download next@${NEXT_VERSION} from the npm registry ` +
          `(needed only for its AMP validator file). Are you offline? Alternatively copy ` +
          `${FILE_IN_TARBALL.replace('package/', 'node_modules/next/')} from any next@${NEXT_VERSION} ` +
          `install to ${VALIDATOR_PATH}.\n${(error as Error).message}`,
        { cause: error },
      );
    }
    const tarball = fs.readdirSync(tmp).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`[amp-validator] npm pack produced no tarball in ${tmp}`);
    run('tar', ['-xzf', tarball, '--no-same-owner', FILE_IN_TARBALL], tmp);

    const extracted = path.join(tmp, FILE_IN_TARBALL);
    const actual = sha256(extracted);
    if (actual !== VALIDATOR_SHA256) {
      throw new Error(
        `[amp-validator] sha256 mismatch for ${FILE_IN_TARBALL} in next@${NEXT_VERSION}: ` +
          `expected ${VALIDATOR_SHA256}, got ${actual}`,
      );
    }
    fs.renameSync(extracted, VALIDATOR_PATH);
    console.warn(`[amp-validator] Saved ${VALIDATOR_PATH} in ${Date.now() - started} ms.`);
    return VALIDATOR_PATH;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    console.log(ensureAmpValidator());
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
