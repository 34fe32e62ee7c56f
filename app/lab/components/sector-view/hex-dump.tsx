// Bytes as a classic hex dump: offset, 16 bytes in hex, and the same bytes as ASCII (dots for the unprintable),
// so a learner can spot readable text in plaintext and see there is none in ciphertext. Rows: lib/hex-dump.
import { asciiOf, BYTES_PER_ROW, hexByte, hexRows } from '@/lib/hex-dump';

export function HexDump({ bytes, label, baseOffset = 0, testId }: { bytes: Uint8Array; label: string; baseOffset?: number; testId?: string }) {
  const lines = hexRows(bytes).map((r) => ({ offset: r.offset, slice: r.bytes }));
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      data-testid={testId}
      className="max-h-80 overflow-auto rounded border border-slate-300 bg-white p-1 font-mono text-[10px] leading-4 text-slate-900 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
    >
      {lines.map((l) => (
        <div key={l.offset} className="flex gap-1.5 whitespace-pre">
          <span aria-hidden="true" className="text-slate-500 dark:text-slate-400">
            {(baseOffset + l.offset).toString(16).padStart(6, '0')}
          </span>
          <span>{Array.from(l.slice, hexByte).join(' ').padEnd(BYTES_PER_ROW * 3 - 1, ' ')}</span>
          <span data-ascii="" className="text-slate-700 dark:text-slate-300">
            {asciiOf(l.slice)}
          </span>
        </div>
      ))}
    </div>
  );
}
