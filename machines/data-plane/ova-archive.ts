// An OVA: a POSIX ustar archive of an OVF package, its .ovf descriptor first (as the OVF specification requires of an
// OVA), then the manifest and the disk. Plain tar: 512-byte headers, each file padded to 512 bytes, two zero blocks.

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0');
}

function header(name: string, size: number, mtimeSeconds: number): Uint8Array {
  if (new TextEncoder().encode(name).length > 100) throw new RangeError(`An OVA member's name must fit 100 bytes: ${name}`);
  const block = new Uint8Array(BLOCK);
  const put = (text: string, at: number) => block.set(new TextEncoder().encode(text), at);
  put(name, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(mtimeSeconds, 12), 136);
  put('        ', 148); // the checksum is computed with its own field as spaces
  put('0', 156);
  put('ustar\u000000', 257);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${octal(sum, 7)}\u0000 `, 148);
  return block;
}

/** The archive of `members`, in the order given. */
export function ustarArchive(members: readonly { name: string; bytes: Uint8Array }[], mtimeSeconds: number): Uint8Array {
  const size = members.reduce((n, m) => n + BLOCK + Math.ceil(m.bytes.length / BLOCK) * BLOCK, 0) + 2 * BLOCK;
  const out = new Uint8Array(size);
  let at = 0;
  for (const m of members) {
    out.set(header(m.name, m.bytes.length, mtimeSeconds), at);
    out.set(m.bytes, at + BLOCK);
    at += BLOCK + Math.ceil(m.bytes.length / BLOCK) * BLOCK;
  }
  return out;
}

/** Reads the members back (the tests' check, and what a learner's tar would list). */
export function readUstar(archive: Uint8Array): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (let at = 0; at + BLOCK <= archive.length; ) {
    const block = archive.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) break;
    const text = (from: number, len: number) => new TextDecoder().decode(block.subarray(from, from + len)).replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim(), 8);
    out.push({ name: text(0, 100), bytes: archive.slice(at + BLOCK, at + BLOCK + size) });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
