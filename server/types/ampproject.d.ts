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

declare module '@ampproject/toolbox-optimizer' {
  /** The optimizer's DOM (htmlparser2's domhandler nodes), as far as transformers use it. */
  export namespace NodeUtils {
    interface Node {
      tagName?: string;
      attribs?: Record<string, string>;
      parent?: Node | null;
      firstChild?: Node | null;
      nextSibling?: Node | null;
    }
    function nextNode(node: Node): Node | null;
    function firstChildByTag(node: Node | null | undefined, tag: string): Node | undefined;
    function createElement(tagName: string, attribs: Record<string, string>): Node;
    function insertText(node: Node, text: string): void;
    function appendChild(parent: Node, child: Node): void;
    function insertBefore(parent: Node, child: Node, reference: Node | null): void;
    function setAttribute(node: Node, name: string, value: string): void;
    function remove(node: Node): void;
  }

  export interface OptimizerLog {
    debug(message: string, ...args: unknown[]): void;
    info(message: string, ...args: unknown[]): void;
    warn(message: string, ...args: unknown[]): void;
    error(message: string, ...args: unknown[]): void;
    verbose(isVerbose?: boolean): void;
    tag(tag: string): OptimizerLog;
  }

  /** A transformer: a class the optimizer instantiates with its config, or a built-in's name. */
  export type Transformation =
    string | (new (config: unknown) => { transform(tree: NodeUtils.Node, params: never): unknown });

  export interface OptimizerConfig {
    autoExtensionImport?: boolean;
    cache?: false;
    fetch?: (url: string) => Promise<never>;
    minify?: boolean;
    log?: OptimizerLog;
    transformations?: Transformation[];
  }

  export interface AmpOptimizer {
    transformHtml(html: string, params: Record<string, unknown>): Promise<string>;
  }

  export const TRANSFORMATIONS_AMP_FIRST: string[];
  export function create(config: OptimizerConfig): AmpOptimizer;
}
