// A VM's .vmx configuration file: `key = "value"` lines, rendered from and parsed into the few fields the lab uses.

import { VmwareFormatError } from './vmware-format-error';

export { VmwareFormatError } from './vmware-format-error';

export interface VmxModel {
  displayName: string;
  /** VMware's guest OS identifier, e.g. "rhel9-64" or "other5xlinux-64". */
  guestOS: string;
  memSizeMB: number;
  numvcpus: number;
  vtpm: boolean;
  /** Virtual disk descriptor file names, in SCSI slot order, e.g. ['db-01.vmdk']. */
  disks: string[];
  /** encryption.keySafe: the key locator of the KEK that wraps this VM's keys. */
  keySafe: string | null;
  /** encryption.data: the encrypted configuration (base64). */
  encryptedData: string | null;
  /**
   * Every other key, in file order, with its original spelling. Keys the renderer derives on its own (.encoding,
   * config.version, virtualHW.version, nvram, firmware with a vTPM, the SCSI controller type, disk device types) appear
   * here only when the file's value differs from what the renderer would write, so that parse(render(m)) equals m.
   */
  extra: Record<string, string>;
}

/** vSphere 8.0 U2's hardware version, the newest the lab's vSphere Client would create. */
export const VMX_HARDWARE_VERSION = '21';

// Unit 7 on each SCSI bus is the controller itself, so VMware never puts a disk there.
const SCSI_UNITS = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const SCSI_CONTROLLERS = 4;
const DISK_DEVICE_TYPE = 'scsi-hardDisk';
const KEY_RE = /^[A-Za-z0-9_.:\-[\]]+$/;

function fail(message: string): never {
  throw new VmwareFormatError('BAD_VMX', `.vmx file is not valid: ${message}`);
}

// VMware writes '|' followed by two hex digits for a character that cannot sit inside a quoted value
// (e.g. an annotation's newline is |0A), and '|' itself as |7C.
function escapeValue(value: string): string {
  return value.replace(/[|"\u0000-\u001f\u007f]/g, (c) => `|${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function unescapeValue(raw: string): string {
  return raw.replace(/\|([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function boolText(b: boolean): string {
  return b ? 'TRUE' : 'FALSE';
}

function parseBool(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fail(`${key} must be "TRUE" or "FALSE", got "${value}"`);
}

function parsePositiveInt(key: string, value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) fail(`${key} must be a positive whole number, got "${value}"`);
  return n;
}

interface Slot {
  controller: number;
  unit: number;
}

function slotPrefix(s: Slot): string {
  return `scsi${s.controller}:${s.unit}`;
}

/** A case-insensitive view of `extra`, because VMware treats .vmx keys case-insensitively. */
function extraIndex(extra: Record<string, string>): Map<string, [string, string]> {
  const index = new Map<string, [string, string]>();
  for (const [key, value] of Object.entries(extra)) {
    if (!KEY_RE.test(key)) fail(`extra key ${JSON.stringify(key)} is not a valid .vmx key`);
    if (typeof value !== 'string') fail(`extra value for ${key} must be text`);
    const lower = key.toLowerCase();
    if (index.has(lower)) fail(`extra has "${key}" twice (.vmx keys ignore case)`);
    index.set(lower, [key, value]);
  }
  return index;
}

/** The keys render writes on its own for this model, with the values it writes unless extra overrides them. */
function derivedDefaults(m: Pick<VmxModel, 'displayName' | 'vtpm'>): [string, string][] {
  const defaults: [string, string][] = [
    ['.encoding', 'UTF-8'],
    ['config.version', '8'],
    ['virtualHW.version', VMX_HARDWARE_VERSION],
    ['nvram', `${m.displayName}.nvram`],
  ];
  // A vTPM needs UEFI firmware; vSphere refuses it on a BIOS VM.
  if (m.vtpm) defaults.push(['firmware', 'efi']);
  return defaults;
}

/** Keys the model always controls, even when their field is empty, so extra can never smuggle in a second value. */
const ALWAYS_OWNED = ['displayName', 'guestOS', 'memSize', 'numvcpus', 'vtpm.present', 'encryption.keySafe', 'encryption.data'];

/** A present SCSI slot with a file and no device type other than a hard disk: what parse reads as one of `disks`. */
function isDiskSlot(entries: Map<string, [string, string]>, lowerPrefix: string): boolean {
  const present = entries.get(`${lowerPrefix}.present`)?.[1];
  const fileName = entries.get(`${lowerPrefix}.filename`)?.[1];
  const deviceType = entries.get(`${lowerPrefix}.devicetype`)?.[1];
  const isDisk = deviceType === undefined || deviceType.toLowerCase() === DISK_DEVICE_TYPE.toLowerCase();
  return present?.toLowerCase() === 'true' && !!fileName && isDisk;
}

function controllerDefaults(controller: number): [string, string][] {
  return [[`scsi${controller}.virtualDev`, 'pvscsi']];
}

function diskDefaults(slot: Slot): [string, string][] {
  return [[`${slotPrefix(slot)}.deviceType`, DISK_DEVICE_TYPE]];
}

export function renderVmx(m: VmxModel): string {
  if (typeof m.displayName !== 'string' || m.displayName === '') fail('displayName is empty');
  if (typeof m.guestOS !== 'string' || m.guestOS === '') fail('guestOS is empty');
  if (!Number.isSafeInteger(m.memSizeMB) || m.memSizeMB <= 0) fail(`memSizeMB must be a positive whole number, got ${m.memSizeMB}`);
  if (!Number.isSafeInteger(m.numvcpus) || m.numvcpus <= 0) fail(`numvcpus must be a positive whole number, got ${m.numvcpus}`);

  const extra = extraIndex(m.extra);
  for (const key of ALWAYS_OWNED) {
    if (extra.has(key.toLowerCase())) fail(`extra sets "${key}", which the model's own fields control`);
  }
  const used = new Set<string>();
  const lines: string[] = [];
  const owned = (key: string, value: string) => {
    if (extra.has(key.toLowerCase())) fail(`extra sets "${key}", which the model's own fields control`);
    lines.push(`${key} = "${escapeValue(value)}"`);
  };
  const defaulted = ([key, value]: [string, string]) => {
    const override = extra.get(key.toLowerCase());
    if (override) used.add(key.toLowerCase());
    lines.push(`${override ? override[0] : key} = "${escapeValue(override ? override[1] : value)}"`);
  };

  derivedDefaults(m).forEach(defaulted);
  owned('displayName', m.displayName);
  owned('guestOS', m.guestOS);
  owned('memSize', String(m.memSizeMB));
  owned('numvcpus', String(m.numvcpus));
  if (m.vtpm) owned('vtpm.present', boolText(true));

  // A slot whose identity keys sit in extra holds some other device (a CD-ROM, say): disks go around it, which keeps
  // a parsed file's disks in their original slots.
  const freeSlots: Slot[] = [];
  for (let controller = 0; controller < SCSI_CONTROLLERS; controller++) {
    for (const unit of SCSI_UNITS) {
      const prefix = slotPrefix({ controller, unit }).toLowerCase();
      if (isDiskSlot(extra, prefix)) fail(`extra describes a disk in ${prefix}; list it in disks instead`);
      if (!extra.has(`${prefix}.present`) && !extra.has(`${prefix}.filename`)) freeSlots.push({ controller, unit });
    }
  }
  if (m.disks.length > freeSlots.length) fail(`${m.disks.length} disks do not fit in ${freeSlots.length} free SCSI slots`);
  const startedControllers = new Set<number>();
  m.disks.forEach((disk, i) => {
    if (typeof disk !== 'string' || disk === '') fail(`disk ${i + 1} has no file name`);
    const slot = freeSlots[i] as Slot;
    if (!startedControllers.has(slot.controller)) {
      startedControllers.add(slot.controller);
      owned(`scsi${slot.controller}.present`, boolText(true));
      controllerDefaults(slot.controller).forEach(defaulted);
    }
    owned(`${slotPrefix(slot)}.present`, boolText(true));
    owned(`${slotPrefix(slot)}.fileName`, disk);
    diskDefaults(slot).forEach(defaulted);
  });

  for (const [lower, [key, value]] of extra) {
    if (!used.has(lower)) lines.push(`${key} = "${escapeValue(value)}"`);
  }
  if (m.keySafe !== null) owned('encryption.keySafe', m.keySafe);
  if (m.encryptedData !== null) owned('encryption.data', m.encryptedData);
  return `${lines.join('\n')}\n`;
}

export function parseVmx(text: string): VmxModel {
  if (typeof text !== 'string') fail('expected text');
  const entries = new Map<string, [string, string]>();
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([^\s="]+)\s*=\s*"(.*)"$/.exec(line);
    if (!match) fail(`line ${i + 1} is not of the form key = "value": ${JSON.stringify(line.slice(0, 80))}`);
    const [, key, raw] = match as unknown as [string, string, string];
    if (!KEY_RE.test(key)) fail(`line ${i + 1} has an invalid key ${JSON.stringify(key)}`);
    if (raw.includes('"')) fail(`line ${i + 1} has a bare quote inside its value (VMware writes it as |22)`);
    const lower = key.toLowerCase();
    // VMware would silently let the last one win; in a lab file a repeated key is damage worth pointing at.
    if (entries.has(lower)) fail(`line ${i + 1} repeats the key "${key}"`);
    entries.set(lower, [key, unescapeValue(raw)]);
  });

  const take = (key: string): string | undefined => {
    const entry = entries.get(key.toLowerCase());
    entries.delete(key.toLowerCase());
    return entry?.[1];
  };
  const required = (key: string): string => {
    const value = take(key);
    if (value === undefined || value === '') fail(`${key} is missing`);
    return value;
  };
  /** Drops a derived key when the file holds exactly what render would write, so it does not land in extra. */
  const dropIfDefault = ([key, value]: [string, string]) => {
    if (entries.get(key.toLowerCase())?.[1] === value) entries.delete(key.toLowerCase());
  };

  const displayName = required('displayName');
  const guestOS = required('guestOS');
  const memSizeMB = parsePositiveInt('memSize', required('memSize'));
  const numvcpus = parsePositiveInt('numvcpus', required('numvcpus'));
  const vtpmText = take('vtpm.present');
  const vtpm = vtpmText === undefined ? false : parseBool('vtpm.present', vtpmText);

  const diskSlots: Slot[] = [];
  for (let controller = 0; controller < SCSI_CONTROLLERS; controller++) {
    for (const unit of SCSI_UNITS) {
      if (isDiskSlot(entries, slotPrefix({ controller, unit }).toLowerCase())) diskSlots.push({ controller, unit });
    }
  }
  const disks: string[] = [];
  const controllers = new Set<number>();
  for (const slot of diskSlots) {
    take(`${slotPrefix(slot)}.present`);
    disks.push(take(`${slotPrefix(slot)}.fileName`) as string);
    diskDefaults(slot).forEach(dropIfDefault);
    if (!controllers.has(slot.controller)) {
      controllers.add(slot.controller);
      const present = entries.get(`scsi${slot.controller}.present`)?.[1];
      if (present !== undefined && !parseBool(`scsi${slot.controller}.present`, present)) {
        fail(`scsi${slot.controller} holds a disk but is not present`);
      }
      take(`scsi${slot.controller}.present`);
      controllerDefaults(slot.controller).forEach(dropIfDefault);
    }
  }

  const keySafe = take('encryption.keySafe') ?? null;
  const encryptedData = take('encryption.data') ?? null;
  derivedDefaults({ displayName, vtpm }).forEach(dropIfDefault);

  const extra: Record<string, string> = {};
  for (const [key, value] of entries.values()) extra[key] = value;
  return { displayName, guestOS, memSizeMB, numvcpus, vtpm, disks, keySafe, encryptedData, extra };
}
