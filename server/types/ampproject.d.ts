// The toolbox packages ship no (or wrong) typings; these describe the parts BestClips uses.
declare module '@ampproject/toolbox-cache-url' {
  /** The AMP cache subdomain ("curls") for a publisher URL, e.g. shop-example-com. */
  export function createCurlsSubdomain(url: string): Promise<string>;
}

declare module '@ampproject/toolbox-cors' {
  import type { RequestHandler } from 'express';

  export interface AmpCache {
    id: string;
    cacheDomain: string;
  }

  export interface AmpCorsOptions {
    allowCredentials?: boolean;
    enableAmpRedirectTo?: boolean;
    sourceOriginPattern?: RegExp;
    verifyOrigin?: boolean;
    verbose?: boolean;
  }

  export default function ampCors(
    options: AmpCorsOptions,
    caches?: { list(): Promise<AmpCache[]> },
  ): RequestHandler;
}
