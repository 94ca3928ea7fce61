// Structured JSON logs (pino), one line per request with a request id. Cookies, Set-Cookie and
// query strings (apply URLs carry signatures) never reach the log.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'bestclips' } });
}

const REQUEST_ID = /^[\w-]{8,64}$/;

export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    // Reuse a proxy's X-Request-Id when it looks like one; otherwise make one.
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Our serializers read the raw request and response: the wrapped (default) ones would first
    // copy every header, the URL and more into a new object per request, only for us to pick five.
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id: string }) => ({
        id: req.id,
        method: req.method,
        path: withoutQuery(req.url ?? ''),
        origin: req.headers.origin,
        ampSameOrigin: req.headers['amp-same-origin'],
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  });
}

function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
