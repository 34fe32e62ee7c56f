// The disk worker's entry: the page's pool (pool.ts) sends it jobs; DiskJobServer runs them on this thread.
import type { FromWorker, ToWorker } from './protocol';
import { DiskJobServer } from './serve';

const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  /** Jobs received, by kind: what the e2e spec and a curious learner's devtools can see of the worker's work. */
  keylabDiskJobs: Record<string, number>;
};
scope.keylabDiskJobs = {};
const server = new DiskJobServer((message, transfer) => scope.postMessage(message, transfer));
scope.onmessage = (event) => {
  if ('job' in event.data) scope.keylabDiskJobs[event.data.job.op] = (scope.keylabDiskJobs[event.data.job.op] ?? 0) + 1;
  server.handle(event.data);
};
