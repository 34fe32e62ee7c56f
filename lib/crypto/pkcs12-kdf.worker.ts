// Runs the PKCS#12 password KDF (pkcs12-kdf.ts) off the page's main thread, so a .p12 asking for millions of
// iterations leaves the lab responsive; it posts progress as it goes and the page terminates it to cancel.
import { errorMessage } from '@/lib/error-message';
import { pkcs12Kdf, type KdfRequest } from './pkcs12-kdf';

export type KdfWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; key: Uint8Array<ArrayBuffer> }
  | { type: 'error'; message: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<KdfRequest>) => void) | null; postMessage: (m: KdfWorkerMessage) => void };

scope.onmessage = (event) => {
  // Progress at most every 50 ms: enough for a smooth bar, few messages.
  let last = 0;
  pkcs12Kdf(event.data, {
    sliceMs: 50,
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - last < 50 && done < total) return;
      last = now;
      scope.postMessage({ type: 'progress', done, total });
    },
  }).then(
    (key) => scope.postMessage({ type: 'done', key }),
    (error: unknown) => scope.postMessage({ type: 'error', message: errorMessage(error) }),
  );
};
