// How pages go out. Shared documents — pages that are the same for every visitor (the listing,
// products, contact, the 404 page) — are built once, on their first request, into identity, gzip
// and brotli bytes with a strong ETag per encoding, kept in a byte-bounded LRU, and from then on
// served from memory: the request path only picks an encoding and compares ETags; nothing is
// rendered, compressed or hashed for a document already built. Pages about one shopper are
// compressed per request at fast levels (`sendPersonal`).
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * How long browsers and CDNs may keep a shared page. A price change (a new catalog) must be
 * visible within a minute: a CDN keeps its copy fresh for 30 s (s-maxage) and may serve it up to
 * 20 s more while it revalidates (stale-while-revalidate), so a copy is at most 50 s old. A
 * browser counts the CDN copy's age (the Age header) against the same max-age=30, so the copy it
 * shows is no older either. Revalidating is cheap: a 304 with no body (If-None-Match).
 */
export const SHARED_CACHE_CONTROL = 'public, max-age=30, s-maxage=30, stale-while-revalidate=20';
/** For a response that must never be kept (it sets a cookie, or it is one shopper's). */
export const NO_STORE = 'no-store';

export type Encoding = 'br' | 'gzip' | 'identity';
const ENCODINGS: Encoding[] = ['br', 'gzip', 'identity'];

export interface SharedDocument {
  status: number;
  bodies: Record<Encoding, Buffer>;
  etags: Record<Encoding, string>;
}

/** What a page builder returns: the status and the HTML (UTF-8). */
export interface BuiltPage {
  status: number;
  html: Buffer;
}

/**
 * Brotli 10: within ~3% of the smallest (11) at a third of its time (~12 ms for a product page,
 * against ~35 ms); that time is each document's first request, which matters with a large catalog.
 */
const BROTLI_QUALITY = 10;

/** Compresses once, at high levels: the cost is paid on a document's first request only. */
export async function buildDocument({ status, html }: BuiltPage): Promise<SharedDocument> {
  const [br, gz] = await Promise.all([
    promisify(zlib.brotliCompress)(html, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length,
      },
    }),
    promisify(zlib.gzip)(html, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  const hash = createHash('sha256').update(html).digest('base64url').slice(0, 27);
  // Strong ETags differ per encoding: each is a different byte sequence.
  return {
    status,
    bodies: { br, gzip: gz, identity: html },
    etags: { br: `"${hash}-br"`, gzip: `"${hash}-gz"`, identity: `"${hash}"` },
  };
}

/**
 * Bytes of shared pages (identity, gzip and brotli of each) kept in memory. A product page is
 * ~45 KB in all three; 48 MB holds about a thousand of them. With a 10,000-product catalog the
 * pages people actually visit stay; the others are built again (~10 ms) when next asked for.
 */
export const SHARED_PAGE_BYTES = 48 * 1024 * 1024;

export class SharedDocuments {
  /** A built document, or the promise of one while its first request builds it. */
  private readonly documents: LRUCache<string, SharedDocument | Promise<SharedDocument>>;

  constructor(maxBytes: number) {
    this.documents = new LRUCache({
      maxSize: maxBytes,
      // A document being built counts as a typical page until it is replaced by the real thing.
      sizeCalculation: (value) =>
        value instanceof Promise
          ? 64 * 1024
          : ENCODINGS.reduce((n, e) => n + value.bodies[e].length, 0),
    });
  }

  /**
   * Sends the document `key` names, building it with `build` if it is not in memory. Requests that
   * arrive while it is built share that one build.
   */
  serve(
    req: Request,
    res: Response,
    key: string,
    build: () => BuiltPage,
    cacheControl = SHARED_CACHE_CONTROL,
  ): void | Promise<void> {
    const known = this.documents.get(key);
    if (known !== undefined && !(known instanceof Promise)) {
      sendDocument(req, res, known, cacheControl);
      return;
    }
    const pending = known ?? this.build(key, build);
    return pending.then((document) => sendDocument(req, res, document, cacheControl));
  }

  private build(key: string, build: () => BuiltPage): Promise<SharedDocument> {
    const pending = Promise.resolve()
      .then(() => buildDocument(build()))
      .then(
        (document) => {
          if (this.documents.peek(key) === pending) this.documents.set(key, document);
          return document;
        },
        (error: unknown) => {
          // A failed build is not remembered: the next request tries again.
          if (this.documents.peek(key) === pending) this.documents.delete(key);
          throw error;
        },
      );
    this.documents.set(key, pending);
    return pending;
  }

  /** Bytes held (all three encodings of every built document). */
  get bytes(): number {
    return this.documents.calculatedSize;
  }

  get size(): number {
    return this.documents.size;
  }
}

/** The encoding to send: brotli, then gzip, when the request accepts them (q-values respected). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (acceptEncoding === undefined || acceptEncoding === '') return 'identity';
  let chosen = chosenEncodings.get(acceptEncoding);
  if (chosen === undefined) {
    const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } });
    chosen =
      (negotiator.encoding(ENCODINGS, { preferred: ENCODINGS }) as Encoding | undefined) ??
      'identity';
    chosenEncodings.set(acceptEncoding, chosen);
  }
  return chosen;
}
// Browsers send a handful of distinct Accept-Encoding values: parse each once.
const chosenEncodings = new LRUCache<string, Encoding>({ max: 200 });

/** True when If-None-Match names `etag` (or is `*`); weak comparison, as RFC 9110 says for it. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a page about one shopper (rendered for this request): compressed here, at fast levels —
 * brotli 3 takes ~0.2 ms for a 37 KB page and still sends under 10 KB; gzip 1 about half that —
 * and never kept by a cache.
 */
export function sendPersonal(req: Request, res: Response, status: number, html: Buffer): void {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const body =
    encoding === 'br'
      ? zlib.brotliCompressSync(html, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 3,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length,
          },
        })
      : encoding === 'gzip'
        ? zlib.gzipSync(html, { level: zlib.constants.Z_BEST_SPEED })
        : html;
  const headers: Record<string, string | number> = {
    'Cache-Control': NO_STORE,
    Vary: 'Accept-Encoding',
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
  };
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body);
}

function sendDocument(
  req: Request,
  res: Response,
  document: SharedDocument,
  cacheControl: string,
): void {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const etag = document.etags[encoding];
  // A response that sets a cookie is one visitor's: never let a cache keep it.
  const policy = res.hasHeader('set-cookie') ? NO_STORE : cacheControl;
  const headers: Record<string, string | number> = {
    'Cache-Control': policy,
    ETag: etag,
    Vary: 'Accept-Encoding',
  };
  if (document.status === 200 && matchesEtag(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  const body = document.bodies[encoding];
  headers['Content-Type'] = 'text/html; charset=utf-8';
  headers['Content-Length'] = body.length;
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  res.writeHead(document.status, headers).end(req.method === 'HEAD' ? undefined : body);
}
