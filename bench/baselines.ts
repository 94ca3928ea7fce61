// The two yardsticks, answering the same bytes as the shop's product page from memory:
// raw node:http (the machine's limit) and a bare Express app with one route (the framework's
// floor; the same Express the shop uses, with its defaults, e.g. an ETag per response).
import express from 'express';
import type { RequestListener } from 'node:http';

export const BASELINE_PATH = '/products/superclip';

export function rawNodeHttp(body: Buffer, contentType: string): RequestListener {
  const headers = { 'content-type': contentType, 'content-length': String(body.length) };
  return (_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  };
}

export function bareExpress(body: Buffer, contentType: string): express.Express {
  const app = express();
  app.get(BASELINE_PATH, (_req, res) => {
    res.set('Content-Type', contentType).send(body);
  });
  return app;
}
