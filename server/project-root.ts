// data/, views/ and public/ sit at the project root, whether the server runs from server/ (tsx,
// jest) or from dist/server/ (compiled).
import { existsSync } from 'node:fs';
import path from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(__dirname);

export function fromRoot(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
