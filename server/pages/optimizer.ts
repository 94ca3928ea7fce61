// The AMP optimizer, configured to run fully offline and deterministically: runtime version and
// runtime CSS come from the copy bundled with the package, and any attempt to reach the network
// fails loudly instead of silently falling back.
import runtimeData from '@ampproject/toolbox-optimizer/lib/runtimeData.json';

import {
  create,
  TRANSFORMATIONS_AMP_FIRST,
  type OptimizerLog,
  type Transformation,
} from '@ampproject/toolbox-optimizer';

/** Extra parameters reach custom transformers (the local cache passes the page URL this way). */
export type OptimizeHtml = (html: string, params?: Record<string, unknown>) => Promise<string>;

export function createOfflineOptimizer(
  /** Transformers to run before the optimizer's own (AMP First) ones. */
  extraTransformations: Transformation[] = [],
  /** Built-in transformers to leave out (by name). */
  skip: string[] = [],
): OptimizeHtml {
  const problems: string[] = [];
  const optimizer = create({
    // Extension scripts are written into the views by hand; importing them would need the
    // validator rules from the network.
    autoExtensionImport: false,
    cache: false,
    fetch: (url) =>
      Promise.reject(new Error(`The AMP optimizer must not use the network (asked for ${url}).`)),
    // Whitespace stays readable; the template is transformed once, so minifying buys little.
    // (MinifyHtml is left out of the transformations too: off, it only costs loading terser.)
    minify: false,
    // Anything the optimizer would print means the page is not what we think (a fallback, a
    // skipped optimization): collect it and fail start-up rather than log and carry on.
    log: collectingLog(problems),
    transformations: [
      ...extraTransformations,
      ...TRANSFORMATIONS_AMP_FIRST.filter((name) => !skip.includes(name) && name !== 'MinifyHtml'),
    ],
  });

  return async (html, params = {}) => {
    problems.length = 0;
    const optimized = await optimizer.transformHtml(html, {
      ...params,
      ampRuntimeVersion: runtimeData.ampRuntimeVersion,
      ampRuntimeStyles: runtimeData.ampRuntimeStyles,
    });
    if (problems.length > 0) {
      throw new Error(`The AMP optimizer reported problems:\n${problems.join('\n')}`);
    }
    return optimized;
  };
}

function collectingLog(problems: string[], prefix = 'AMP Optimizer'): OptimizerLog {
  const record =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      problems.push([`${prefix} ${level}: ${message}`, ...args.map(String)].join(' '));
  return {
    // Debug output only exists in verbose mode, which stays off.
    debug: () => undefined,
    info: record('info'),
    warn: record('warning'),
    error: record('error'),
    verbose: () => undefined,
    tag: (tag) => collectingLog(problems, `${prefix} ${tag}`),
  };
}
