// negotiator 1.x: the part BestClips uses (@types/negotiator describes 0.6, without `preferred`).
declare module 'negotiator' {
  import type { IncomingHttpHeaders } from 'node:http';

  export default class Negotiator {
    constructor(request: { headers: IncomingHttpHeaders });
    /** The best of `available` for Accept-Encoding; ties (equal q) go by `preferred` order. */
    encoding(
      available: readonly string[],
      options?: { preferred?: readonly string[] },
    ): string | undefined;
  }
}
