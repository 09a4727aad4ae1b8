/** Starting a worker thread from a module of ours, whether it runs compiled (dist/, .js) or as TypeScript under tsx. */
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Default young generation of an engine thread (MB): a 32 MB semi-space. Events are parsed, flattened
 * and evaluated in short-lived objects; with Node's default (16 MB semi-spaces, grown only slowly) a
 * batch in flight survived scavenges and was promoted, and collecting it cost as much CPU as detection
 * itself. Larger than this measured no better (the young generation outgrows the caches).
 */
export const ENGINE_YOUNG_GENERATION_MB = 96;

export interface WorkerOptions {
  /** Young generation of the thread's heap (MB); Node's default when absent. */
  youngGenerationMb?: number;
}

/**
 * Starts `module` on a worker thread. A `.ts` module (tests, dev, benchmarks run with tsx) gets tsx's
 * loader registered in the worker first; a `.js` one (dist/) starts as it is.
 */
export function startWorker(module: URL, workerData?: unknown, opts: WorkerOptions = {}): Worker {
  const resourceLimits: ResourceLimits | undefined = opts.youngGenerationMb
    ? { maxYoungGenerationSizeMb: opts.youngGenerationMb }
    : undefined;
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData, resourceLimits });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); }).catch((e) => { console.error(e); process.exit(1); });`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}
