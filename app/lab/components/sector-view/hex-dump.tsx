// Bytes as a classic hex dump: offset, 16 bytes in hex, and the same bytes as ASCII (dots for the unprintable),
// so a learner can spot readable text in plaintext and see there is none in ciphertext.
const PER_LINE = 16;

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export function asciiOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return s;
}

export function HexDump({ bytes, label, baseOffset = 0, testId }: { bytes: Uint8Array; label: string; baseOffset?: number; testId?: string }) {
  const lines: { offset: number; slice: Uint8Array }[] = [];
  for (let i = 0; i < bytes.length; i += PER_LINE) lines.push({ offset: i, slice: bytes.subarray(i, i + PER_LINE) });
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
          <span>{Array.from(l.slice, hex).join(' ').padEnd(PER_LINE * 3 - 1, ' ')}</span>
          <span data-ascii="" className="text-slate-700 dark:text-slate-300">
            {asciiOf(l.slice)}
          </span>
        </div>
      ))}
    </div>
  );
}
