// Finds the encryption fields in a .vmx or a disk descriptor and says, in one line each, what key is in there.
import type { KeyLocation, LabView, VmView } from '@/machines/lab-types';

export type EncryptionField = 'encryption.keySafe' | 'encryption.data' | 'encryptionKeys';

export interface KeyLocator {
  providerId: string;
  keyId: string;
  mac: string;
  /** The base64 blob after the MAC algorithm: wrapped key material. */
  blob: string;
}

export interface FileLine {
  number: number;
  text: string;
  field: EncryptionField | null;
  value: string;
}

const FIELDS: EncryptionField[] = ['encryption.keySafe', 'encryption.data', 'encryptionKeys'];
const ASSIGNMENT = /^\s*([A-Za-z0-9_.:-]+)\s*=\s*"?(.*?)"?\s*$/;

export function parseLines(text: string): FileLine[] {
  return text.split(/\r?\n/).map((line, i) => {
    const m = ASSIGNMENT.exec(line);
    const name = m?.[1] ?? '';
    const field = (FIELDS as string[]).find((f) => f.toLowerCase() === name.toLowerCase()) as EncryptionField | undefined;
    return { number: i + 1, text: line, field: field ?? null, value: m?.[2] ?? '' };
  });
}

function decode(value: string): string {
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}

/** `vmware:key/list/(pair/(fqid/<VMWARE-NULL>/PROVIDER/KEYID,HMAC-SHA-256,BASE64))`, possibly URL-encoded. */
export function parseKeyLocators(value: string): KeyLocator[] {
  const text = decode(value);
  const out: KeyLocator[] = [];
  const re = /fqid\/[^/]*\/([^/]+)\/([^,)]+),([^,)]+),([^)]*)\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ providerId: decode(m[1] ?? ''), keyId: decode(m[2] ?? ''), mac: m[3] ?? '', blob: m[4] ?? '' });
  }
  return out;
}

function providerName(view: LabView, providerId: string, vm: VmView | undefined): string {
  const p = view.vcenter?.keyProviders.find((k) => k.id === providerId || k.name === providerId);
  if (p) return p.name;
  if (vm?.encryption && (vm.encryption.providerId === providerId || vm.encryption.providerName === providerId)) {
    return vm.encryption.providerName;
  }
  return providerId;
}

function keyLabel(view: LabView, keyId: string): string {
  const k: KeyLocation | undefined = view.keyMap.find((x) => x.keyId === keyId);
  return `${k?.level ?? 'key'} ${keyId.slice(0, 8)}…`;
}

/** One line: what key this field holds, and in what form. */
export function explainField(field: EncryptionField, value: string, view: LabView, vm: VmView | undefined): string {
  const locators = parseKeyLocators(value);
  const first = locators[0];
  const named = first ? `${keyLabel(view, first.keyId)} of provider "${providerName(view, first.providerId, vm)}"` : 'the KEK';
  const nativeProvider = (vm?.homeEncryption ?? vm?.encryption)?.providerKind === 'native';
  switch (field) {
    case 'encryption.keySafe':
      return first
        ? `Key locator: names the KEK (${named}) by ID` +
            (nativeProvider
              ? '; for NKP the KEK is derived from the KDK and this key ID (keylab.nkpKeyId names which KDK), so nothing of it is stored'
              : '; the KEK itself stays on the KMS') +
            ' — no plain key is stored here.'
        : 'Key locator: which provider and key ID the VM’s keys are wrapped with. The KEK itself is not in the file.';
    case 'encryption.data':
      return `The VM’s encrypted configuration, sealed with its keys (wrapped by ${named}): ciphertext, unreadable without the KEK.`;
    case 'encryptionKeys':
      return `The disk’s DEK, wrapped by ${named}: the datastore alone cannot decrypt this disk.`;
  }
}
