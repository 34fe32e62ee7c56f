// A virtual disk's descriptor (the small text .vmdk beside the -flat.vmdk data file), as ESXi writes it on VMFS.

import { VmwareFormatError } from './vmware-format-error';

export { VmwareFormatError } from './vmware-format-error';

export interface VmdkDescriptor {
  /** The lab's own ID for the disk's sectors in storage, kept as ddb.keylab.diskId (VMware tolerates extra ddb keys). */
  diskId: string;
  /** The disk's capacity; a multiple of 512, as VMware counts in 512-byte sectors. */
  sizeBytes: number;
  /** The data file the extent line points at, e.g. "db-01-flat.vmdk". */
  flatFile: string;
  /** encryptionKeys: the key locator of the DEK wrapped by the KEK, or null for a plain disk. */
  encryptionKeys: string | null;
  /**
   * Other lines, kept so foreign descriptors round-trip: header keys with their raw right-hand side (quotes included),
   * ddb.* keys with their unquoted value. Lines render derives itself (CID, geometry, ddb.uuid...) appear here only
   * when they differ from what render would write. Absent when there is nothing to keep.
   */
  extra?: Record<string, string>;
}

export const VMDK_SECTOR_BYTES = 512;
const DISK_ID_KEY = 'ddb.keylab.diskId';
const HEADER_KEY_RE = /^[A-Za-z][A-Za-z0-9_.]*$/;
const OWNED = new Set(['version', 'createType', 'encryptionKeys', DISK_ID_KEY]);

function fail(message: string): never {
  throw new VmwareFormatError('BAD_VMDK_DESCRIPTOR', `Disk descriptor is not valid: ${message}`);
}

function hasUnsafeChars(s: string): boolean {
  return /["\u0000-\u001f\u007f]/.test(s);
}

// FNV-1a: the cosmetic IDs (CID, ddb.uuid, ddb.longContentID) are derived from the disk ID so that rendering is a
// pure function and a parsed descriptor renders back byte for byte. Real ESXi draws them at random.
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function derivedBytes(diskId: string, count: number): string[] {
  const out: string[] = [];
  for (let seed = 0; out.length < count; seed++) {
    const h = hex32(fnv1a(diskId, seed + 1));
    for (let i = 0; i < 8 && out.length < count; i += 2) out.push(h.slice(i, i + 2));
  }
  return out;
}

function headerDefaults(d: Pick<VmdkDescriptor, 'diskId'>): [string, string][] {
  return [
    ['encoding', '"UTF-8"'],
    ['CID', hex32(fnv1a(d.diskId, 0))],
    // ffffffff = no parent: a base disk, not a snapshot's delta.
    ['parentCID', 'ffffffff'],
  ];
}

function ddbDefaults(d: Pick<VmdkDescriptor, 'diskId' | 'sizeBytes'>): [string, string][] {
  const sectors = d.sizeBytes / VMDK_SECTOR_BYTES;
  // The BIOS geometry VMware reports for SCSI disks: 64 heads x 32 sectors below 1 GiB, 255 x 63 above.
  const [heads, perTrack] = d.sizeBytes < 1024 ** 3 ? [64, 32] : [255, 63];
  const uuid = derivedBytes(d.diskId, 16);
  return [
    ['ddb.adapterType', 'lsilogic'],
    ['ddb.geometry.cylinders', String(Math.floor(sectors / (heads * perTrack)))],
    ['ddb.geometry.heads', String(heads)],
    ['ddb.geometry.sectors', String(perTrack)],
    ['ddb.longContentID', derivedBytes(`${d.diskId}#content`, 16).join('')],
    // The lab's disks are sparse: unwritten sectors take no room, like a thin-provisioned VMDK.
    ['ddb.thinProvisioned', '1'],
    ['ddb.uuid', `${uuid.slice(0, 8).join(' ')}-${uuid.slice(8).join(' ')}`],
    ['ddb.virtualHWVersion', '21'],
  ];
}

export function renderVmdkDescriptor(d: VmdkDescriptor): string {
  if (typeof d.diskId !== 'string' || d.diskId === '' || hasUnsafeChars(d.diskId)) {
    fail(`diskId ${JSON.stringify(d.diskId)} must be non-empty text without quotes or control characters`);
  }
  if (!Number.isSafeInteger(d.sizeBytes) || d.sizeBytes <= 0 || d.sizeBytes % VMDK_SECTOR_BYTES !== 0) {
    fail(`sizeBytes must be a positive multiple of ${VMDK_SECTOR_BYTES}, got ${d.sizeBytes}`);
  }
  if (typeof d.flatFile !== 'string' || d.flatFile === '' || hasUnsafeChars(d.flatFile) || d.flatFile.includes('/')) {
    fail(`flatFile ${JSON.stringify(d.flatFile)} must be a file name without quotes, slashes or control characters`);
  }
  if (d.encryptionKeys !== null && (d.encryptionKeys === '' || hasUnsafeChars(d.encryptionKeys))) {
    fail('encryptionKeys must be a non-empty key locator without quotes or control characters');
  }

  const header = new Map<string, string>(headerDefaults(d));
  const ddb = new Map<string, string>(ddbDefaults(d));
  ddb.set(DISK_ID_KEY, d.diskId);
  const extraHeader: [string, string][] = [];
  for (const [key, value] of Object.entries(d.extra ?? {})) {
    if (OWNED.has(key)) fail(`extra sets "${key}", which the descriptor's own fields control`);
    if (!HEADER_KEY_RE.test(key)) fail(`extra key ${JSON.stringify(key)} is not a valid descriptor key`);
    if (typeof value !== 'string' || /[\u0000-\u001f\u007f]/.test(value)) fail(`extra value for ${key} must be one line of text`);
    if (key.startsWith('ddb.')) {
      if (value.includes('"')) fail(`extra value for ${key} must not contain a quote`);
      ddb.set(key, value);
    } else if (header.has(key)) {
      header.set(key, value);
    } else {
      extraHeader.push([key, value]);
    }
  }

  const lines = ['# Disk DescriptorFile', 'version=1'];
  for (const [key, value] of header) lines.push(`${key}=${value}`);
  lines.push('createType="vmfs"');
  for (const [key, value] of extraHeader) lines.push(`${key}=${value}`);
  if (d.encryptionKeys !== null) lines.push(`encryptionKeys="${d.encryptionKeys}"`);
  lines.push('', '# Extent description', `RW ${d.sizeBytes / VMDK_SECTOR_BYTES} VMFS "${d.flatFile}"`);
  lines.push('', '# The Disk Data Base', '#DDB', '');
  // ESXi writes the disk database sorted by key.
  for (const key of [...ddb.keys()].sort()) lines.push(`${key} = "${ddb.get(key)}"`);
  return `${lines.join('\n')}\n`;
}

export function parseVmdkDescriptor(text: string): VmdkDescriptor {
  if (typeof text !== 'string') fail('expected text');
  const entries = new Map<string, string>();
  const extents: { sectors: number; file: string }[] = [];

  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `line ${i + 1}`;
    const extent = /^(RW|RDONLY|NOACCESS)\s+(\d+)\s+(\S+)(?:\s+"([^"]*)")?(?:\s+(\d+))?$/.exec(line);
    if (extent) {
      const [, access, sectors, type, file, offset] = extent;
      if (access !== 'RW') fail(`${where}: the extent is ${access}; the lab's disks are read-write (RW)`);
      if (type !== 'VMFS') fail(`${where}: extent type ${type}; the lab models flat VMFS disks only`);
      if (!file) fail(`${where}: the extent names no data file`);
      if (offset !== undefined && offset !== '0') fail(`${where}: extent offsets are not supported`);
      extents.push({ sectors: Number(sectors), file });
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!kv) fail(`${where} is neither key=value nor an extent line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, key, rawValue] = kv as unknown as [string, string, string];
    if (entries.has(key)) fail(`${where} repeats the key "${key}"`);
    let value = rawValue;
    if (key.startsWith('ddb.') || key === 'createType' || key === 'encryptionKeys') {
      const quoted = /^"([^"]*)"$/.exec(rawValue);
      if (!quoted) fail(`${where}: the value of ${key} must be in double quotes`);
      value = quoted[1] as string;
    }
    entries.set(key, value);
  });

  const version = entries.get('version');
  if (version === undefined) fail('no "version=1" line (is this a disk descriptor?)');
  if (version !== '1') fail(`version=${version}; only version=1 descriptors are understood`);
  const createType = entries.get('createType');
  if (createType !== 'vmfs') {
    fail(`createType is ${createType === undefined ? 'missing' : `"${createType}"`}; the lab models flat VMFS disks ("vmfs") only`);
  }
  if (extents.length !== 1) fail(`expected exactly one extent line, found ${extents.length}`);
  const extent = extents[0] as { sectors: number; file: string };
  const sizeBytes = extent.sectors * VMDK_SECTOR_BYTES;
  if (!Number.isSafeInteger(sizeBytes) || extent.sectors <= 0) fail(`the extent's size of ${extent.sectors} sectors is not usable`);
  const diskId = entries.get(DISK_ID_KEY);
  if (!diskId) fail(`${DISK_ID_KEY} is missing, so the lab cannot tell which stored disk this descriptor belongs to`);
  const encryptionKeys = entries.get('encryptionKeys') ?? null;
  if (encryptionKeys === '') fail('encryptionKeys is empty');
  for (const key of OWNED) entries.delete(key);

  const base = { diskId, sizeBytes, flatFile: extent.file, encryptionKeys };
  for (const [key, value] of [...headerDefaults(base), ...ddbDefaults(base)]) {
    if (entries.get(key) === value) entries.delete(key);
  }
  return entries.size === 0 ? base : { ...base, extra: Object.fromEntries(entries) };
}
