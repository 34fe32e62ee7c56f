// The disk worker's entry: the page's pool (pool.ts) sends it jobs; DiskJobServer runs them on this thread.
import type { FromWorker, ToWorker } from './protocol';
import { DiskJobServer } from './serve';

const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const server = new DiskJobServer((message, transfer) => scope.postMessage(message, transfer));
scope.onmessage = (event) => server.handle(event.data);
