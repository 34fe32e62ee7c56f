// Where the PKCS#12 password KDF runs: in a Web Worker in the browser, so the page never freezes; in the calling thread
// (in slices) where there is no Worker (Node, tests) or the worker cannot start. Both report progress and can be
// cancelled with an AbortSignal.
import { abortError, pkcs12Kdf, type KdfOptions, type KdfRequest } from './pkcs12-kdf';
import type { KdfWorkerMessage } from './pkcs12-kdf.worker';

export function derivePkcs12MacKey(request: KdfRequest, options: KdfOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  if (options.signal?.aborted) return Promise.reject(abortError());
  if (typeof window === 'undefined' || typeof Worker === 'undefined') return pkcs12Kdf(request, options);
  return new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./pkcs12-kdf.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      pkcs12Kdf(request, options).then(resolve, reject);
      return;
    }
    let started = false;
    const stop = () => {
      worker.terminate();
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      stop();
      reject(abortError());
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<KdfWorkerMessage>) => {
      const message = event.data;
      started = true;
      if (message.type === 'progress') options.onProgress?.(message.done, message.total);
      else if (message.type === 'done') {
        stop();
        resolve(message.key);
      } else {
        stop();
        reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      stop();
      // A worker that never ran (blocked by a host's policy, say) costs only speed: do the work here, in slices.
      if (!started) pkcs12Kdf(request, options).then(resolve, reject);
      else reject(new Error(event.message || 'The key derivation worker failed.'));
    };
    worker.postMessage(request);
  });
}
