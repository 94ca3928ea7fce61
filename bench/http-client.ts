// A minimal HTTP client for set-up steps and page weights (not for load): exact bytes, no
// decompression, no cookie jar, a fresh connection per request.
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export function httpRequest(url: string, options: HttpRequest = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `name=value` part of a Set-Cookie header for `name`, if the answer set one. */
export function cookieSet(answer: HttpAnswer, name: string): string | undefined {
  const header = (answer.headers['set-cookie'] ?? []).find((value) => value.startsWith(`${name}=`));
  return header?.split(';')[0];
}
