// VMware's key-locator string, which records in VM files which provider and key ID wrapped a key, and the wrapped bytes.
//   vmware:key/list/(pair/(fqid/<VMWARE-NULL>/PROVIDER/KEYID,HMAC-SHA-256,BASE64))

import { base64ToBytes, bytesToBase64 } from '@/lib/base64';
import { VmwareFormatError } from './vmware-format-error';

export { VmwareFormatError } from './vmware-format-error';

export interface KeyLocator {
  /** The key provider's name as vCenter knows it (a standard provider's KMS cluster name, or an NKP's name). */
  providerId: string;
  /** The KEK's key ID on that provider (a UUID in this lab). */
  keyId: string;
  /** The key wrapped by the KEK; empty when the locator only names a key. */
  wrappedKey: Uint8Array;
}

const PREFIX = 'vmware:key/list/(';
const PAIR = 'pair/(';
const FQID = 'fqid';
const NULL_SERVER = '<VMWARE-NULL>';
/** The only MAC the lab writes, as VMware does for its own wrapped keys. */
export const KEY_LOCATOR_MAC = 'HMAC-SHA-256';

function fail(message: string): never {
  throw new VmwareFormatError('BAD_KEY_LOCATOR', `Key locator is not valid: ${message}`);
}

function preview(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}

// VMware percent-encodes the characters that delimit the locator; encodeURIComponent covers '/', ',' and '%', but
// leaves parentheses (and !'*) alone, so those are added. Non-ASCII names come out as UTF-8 %XX, which decode back.
function encodeField(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeField(raw: string, what: string): string {
  if (raw === '') fail(`the ${what} is empty`);
  if (/[\s"()]/.test(raw)) {
    fail(`the ${what} ${preview(raw)} contains a space, quote or parenthesis, which must be percent-encoded`);
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    return fail(`the ${what} ${preview(raw)} has a broken percent-escape`);
  }
}

export function formatKeyLocator(l: KeyLocator): string {
  if (l.providerId === '') fail('the provider name is empty');
  if (l.keyId === '') fail('the key ID is empty');
  const fqid = [FQID, NULL_SERVER, encodeField(l.providerId), encodeField(l.keyId)].join('/');
  return `${PREFIX}${PAIR}${fqid},${KEY_LOCATOR_MAC},${bytesToBase64(l.wrappedKey)}))`;
}

export function parseKeyLocator(s: string): KeyLocator {
  if (typeof s !== 'string') fail('expected text');
  if (!s.startsWith(PREFIX)) fail(`expected it to start with "${PREFIX}", got ${preview(s)}`);
  if (!s.endsWith('))')) fail(`expected it to end with "))", got ${preview(s)} (was it cut short?)`);
  const list = s.slice(PREFIX.length, -1);
  const pairs = list.split(PAIR).length - 1;
  if (pairs === 0) fail(`expected "${PAIR}" after "${PREFIX}"`);
  // Real VMware can list several pairs; every file the lab writes names exactly one key, so more is a sign of damage.
  if (pairs > 1) fail(`it lists ${pairs} keys; the lab's files carry exactly one`);
  if (!list.startsWith(PAIR)) fail(`expected "${PAIR}" right after "${PREFIX}"`);
  const pair = list.slice(PAIR.length, -1);

  const fields = pair.split(',');
  if (fields.length !== 3) {
    fail(`expected three comma-separated fields (key ID, MAC, wrapped key) inside "${PAIR}...)", found ${fields.length}`);
  }
  const [fqid, mac, wrapped] = fields as [string, string, string];

  const parts = fqid.split('/');
  if (parts[0] !== FQID) fail(`expected the key ID to start with "${FQID}/", got ${preview(fqid)}`);
  if (parts[1] !== NULL_SERVER) fail(`expected "${FQID}/${NULL_SERVER}/", got ${preview(fqid)}`);
  if (parts.length !== 4) {
    fail(`expected "${FQID}/${NULL_SERVER}/PROVIDER/KEYID", got ${preview(fqid)} (a "/" in a name must be written %2F)`);
  }
  const providerId = decodeField(parts[2] as string, 'provider name');
  const keyId = decodeField(parts[3] as string, 'key ID');

  if (mac !== KEY_LOCATOR_MAC) fail(`expected the MAC algorithm "${KEY_LOCATOR_MAC}", got ${preview(mac)}`);
  if (/[()]/.test(wrapped)) fail('unbalanced parentheses after the wrapped key');
  const wrappedKey = base64ToBytes(wrapped);
  if (wrappedKey === null) fail(`the wrapped key ${preview(wrapped)} is not valid base64`);

  return { providerId, keyId, wrappedKey };
}
