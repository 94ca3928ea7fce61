// The files in public/ (images, the favicon), each mounted under its own path: express.static
// mounted at `/` would stat the disk for every page and API request before the routes run.
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

export function staticFiles(dir: string): express.Router {
  const router = express.Router();
  // Read once at start-up: a file added to public/ later needs a restart, like a code change.
  for (const entry of fs.readdirSync(dir)) {
    router.use(`/${entry}`, express.static(path.join(dir, entry), { maxAge: '1h' }));
  }
  return router;
}
