// Starts the page's disk workers (once) and routes the storage layer's heavy work through them. Browser only: the
// bundler (Turbopack or webpack) sees `new Worker(new URL(...))` and emits the worker as a script of the site's own
// origin, which the lab's Content-Security-Policy allows (worker-src 'self'); no blob: URL is needed.
import { DiskWorkerPool } from './pool';
import { diskWorkerPort, routeDiskWorkThrough, type DiskWorkerPort } from './port';

let pool: DiskWorkerPool | null = null;

/** Workers for a machine of `cores` logical cores: one fewer than the cores (the page keeps one), one to four. */
export function diskWorkerCount(cores: number | undefined): number {
  return Math.max(1, Math.min(4, (cores || 2) - 1));
}

export function startDiskWorkers(): DiskWorkerPort {
  if (pool) return pool;
  if (typeof Worker === 'undefined') return diskWorkerPort();
  const workers = Array.from(
    { length: diskWorkerCount(navigator.hardwareConcurrency) },
    (_, i) => new Worker(new URL('./disk.worker.ts', import.meta.url), { type: 'module', name: `keylab-disk-${i + 1}` }),
  );
  pool = new DiskWorkerPool(workers);
  routeDiskWorkThrough(pool);
  return pool;
}
