// The self-test's read-back: the text decrypted from the test disk, and the last bytes of its sector as the VM sees
// them beside the same bytes as IndexedDB stores them (nonce, ciphertext, tag).
import { asciiOf, hexByte, hexRows } from '@/lib/hex-dump';
import type { SelfTestReadBack } from '@/lib/storage/self-test';
import { formatTime } from './diagnostics-ui';

/** Hex of bytes, 16 per line, with an offset column and, if asked, the printable ones as text between bars. */
function hexDump(bytes: Uint8Array, startOffset: number, withText = false): string {
  return hexRows(bytes)
    .map(({ offset, bytes: row }) => {
      const hex = Array.from(row, hexByte).join(' ');
      return `${(startOffset + offset).toString().padStart(5, ' ')}  ${withText ? `${hex.padEnd(47)}  |${asciiOf(row)}|` : hex}`;
    })
    .join('\n');
}

const NONCE = 12;
const SHOWN = 32;

export function ReadBack({ result }: { result: SelfTestReadBack }) {
  // The last bytes of the sector hold the start of the text; the stored ciphertext byte i sits after the nonce.
  const from = result.plainSector.length - SHOWN;
  const plain = result.plainSector.subarray(from);
  const cipher = result.storedSector.subarray(NONCE + from, NONCE + from + SHOWN);
  return (
    <div>
      <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">Read back</dt>
        <dd className="font-mono break-all" data-testid="read-back-text">
          {result.text}
        </dd>
        <dt className="font-semibold">Written</dt>
        <dd>{formatTime(result.writtenAt)}</dd>
        <dt className="font-semibold">Integrity</dt>
        <dd>Every sector read passed its AES-GCM authentication check.</dd>
      </dl>
      <h3 className="mt-4 font-semibold">Raw stored bytes</h3>
      <p className="mt-1 text-slate-700 dark:text-slate-300">
        Sector {result.sector} as IndexedDB holds it: a 12-byte nonce, 4,096 bytes of ciphertext and a 16-byte
        authentication tag ({result.storedSector.length.toLocaleString('en')} bytes). Below, the last {SHOWN} bytes of the
        sector as the VM sees them, and the same bytes as stored.
      </p>
      <div className="mt-2 grid gap-3">
        <figure>
          <figcaption className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Plaintext (the VM’s view)
          </figcaption>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800" data-testid="plain-sector-bytes">
            {hexDump(plain, from, true)}
          </pre>
        </figure>
        <figure>
          <figcaption className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Stored ciphertext (what IndexedDB holds)
          </figcaption>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800" data-testid="raw-stored-bytes">
            {hexDump(cipher, from, true)}
          </pre>
        </figure>
      </div>
      <p className="mt-2 font-mono text-xs text-slate-700 dark:text-slate-300">
        nonce {hexDump(result.storedSector.subarray(0, NONCE), 0).slice(7)} · tag{' '}
        {hexDump(result.storedSector.subarray(result.storedSector.length - 16), 0).slice(7)}
      </p>
    </div>
  );
}
