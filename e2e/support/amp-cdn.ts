// What the browser gets for https://cdn.ampproject.org/**: nothing ever leaves the machine.
// By default v0.js / v0.mjs are the amp-form test double, amp-list-0.1.js the amp-list test double
// and every other extension an empty script.
// With AMP_RUNTIME_DIR set (a folder laid out like the CDN: v0.js, v0/amp-form-0.1.js, …) the
// real files are served instead, and the tests are otherwise unchanged.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Route } from 'playwright';

const double = (file: string) =>
  readFileSync(path.join(__dirname, '../amp-runtime-double', file), 'utf8');
const DOUBLE = double('amp-form-double.js');
const AMP_LIST_DOUBLE = double('amp-list-double.js');
const JS = 'text/javascript; charset=utf-8';

export function ampCdnHandler(runtimeDir = process.env.AMP_RUNTIME_DIR) {
  return async (route: Route): Promise<void> => {
    // Versioned URLs (`/rtv/<RTV>/v0.js`) are the same files.
    const file = new URL(route.request().url()).pathname.replace(/^\/rtv\/[^/]+\//, '/').slice(1);
    if (runtimeDir) {
      const full = path.resolve(runtimeDir, file);
      const body = full.startsWith(path.resolve(runtimeDir) + path.sep)
        ? await readFile(full).catch(() => undefined)
        : undefined;
      if (!body) return route.fulfill({ status: 404, body: `not in AMP_RUNTIME_DIR: ${file}` });
      return route.fulfill({ status: 200, contentType: contentType(file), body });
    }
    if (file === 'v0.js' || file === 'v0.mjs') {
      return route.fulfill({ status: 200, contentType: JS, body: DOUBLE });
    }
    if (/^v0\/amp-list-0\.1\.m?js$/.test(file)) {
      return route.fulfill({ status: 200, contentType: JS, body: AMP_LIST_DOUBLE });
    }
    if (/\.m?js$/.test(file)) return route.fulfill({ status: 200, contentType: JS, body: '' });
    return route.fulfill({ status: 404, body: '' });
  };
}

function contentType(file: string): string {
  if (/\.m?js$/.test(file)) return JS;
  if (file.endsWith('.css')) return 'text/css; charset=utf-8';
  if (file.endsWith('.json')) return 'application/json';
  return 'application/octet-stream';
}
