/** Starting a worker thread from a module of ours, whether it runs compiled (dist/, .js) or as TypeScript under tsx. */
import { Worker } from 'node:worker_threads';

/**
 * Starts `module` on a worker thread. A `.ts` module (tests, dev, benchmarks run with tsx) gets tsx's
 * loader registered in the worker first; a `.js` one (dist/) starts as it is.
 */
export function startWorker(module: URL, workerData?: unknown): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); }).catch((e) => { console.error(e); process.exit(1); });`;
  return new Worker(boot, { eval: true, workerData });
}
