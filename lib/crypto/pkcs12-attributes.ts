// The attributes of an NKP backup's secret bag (provider name, key ID, export time, TPM setting), to and from ASN.1.
//
// Choice of attributes, so that `openssl pkcs12 -info` shows a learner everything in plain words:
// - friendlyName (PKCS#9, BMPString) = the provider's name: the standard label every PKCS#12 tool shows.
// - localKeyID (PKCS#9, OCTET STRING) = the key ID's 16 UUID bytes: the standard way to name a key in a .p12;
//   openssl prints it in hex, which matches the UUID's digits.
// - three keylab attributes holding UTF8Strings that name themselves ("keyId=…", "exportedAt=…", "tpmOnly=…"),
//   because openssl prints an unknown attribute as its OID followed by the string, and the OID alone would say
//   nothing. The OIDs hang under a 2.25 arc (ITU-T X.667: an OID made from a UUID), which anyone may mint without
//   registering it; inventing OIDs under VMware's enterprise number would misrepresent whose they are.
//   The text key ID duplicates localKeyID on purpose: a reader sees the UUID as vSphere shows it, and import checks
//   that the two agree.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
export const OID_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
/** keylab's own arc, from UUID 849d995c-c891-4e64-b1a1-2e6cee5be92a. */
export const OID_KEYLAB_ARC = '2.25.176276396610131839589048511256107673898';
export const OID_KEYLAB_KEY_ID = `${OID_KEYLAB_ARC}.1`;
export const OID_KEYLAB_EXPORTED_AT = `${OID_KEYLAB_ARC}.2`;
export const OID_KEYLAB_TPM_ONLY = `${OID_KEYLAB_ARC}.3`;

/**
 * asn1js writes a big arc such as the 2.25 one correctly but reads it back as "{hex}", not in decimal, so a type read
 * from a file is compared with both spellings.
 */
const rereadOids = new Map<string, string>();
function sameOid(readType: string, oid: string): boolean {
  if (readType === oid) return true;
  let reread = rereadOids.get(oid);
  if (reread === undefined) {
    const block = asn1js.fromBER(new asn1js.ObjectIdentifier({ value: oid }).toBER(false)).result;
    reread = block instanceof asn1js.ObjectIdentifier ? block.valueBlock.toString() : oid;
    rereadOids.set(oid, reread);
  }
  return reread === readType;
}

export interface NkpBagMetadata {
  providerName: string;
  keyId: string;
  exportedAt: number;
  tpmOnly: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Lower case is canonical; vSphere shows key IDs in lower case too. */
export function normaliseKeyId(keyId: string): string | null {
  const lower = keyId.toLowerCase();
  return UUID.test(lower) ? lower : null;
}

export function uuidToBytes(keyId: string): Uint8Array {
  const hex = keyId.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function encodeBagAttributes(meta: NkpBagMetadata): pkijs.Attribute[] {
  const text = (type: string, value: string) =>
    new pkijs.Attribute({ type, values: [new asn1js.Utf8String({ value })] });
  return [
    new pkijs.Attribute({ type: OID_FRIENDLY_NAME, values: [new asn1js.BmpString({ value: meta.providerName })] }),
    new pkijs.Attribute({
      type: OID_LOCAL_KEY_ID,
      values: [new asn1js.OctetString({ valueHex: uuidToBytes(meta.keyId) })],
    }),
    text(OID_KEYLAB_KEY_ID, `keyId=${meta.keyId}`),
    // ISO 8601 with milliseconds: readable in openssl's output and exact to the millisecond on the way back.
    text(OID_KEYLAB_EXPORTED_AT, `exportedAt=${new Date(meta.exportedAt).toISOString()}`),
    text(OID_KEYLAB_TPM_ONLY, `tpmOnly=${meta.tpmOnly}`),
  ];
}

/**
 * Reads the metadata back; null when any piece is missing or malformed, so the caller can refuse the file rather
 * than restore a provider under a made-up name or key ID.
 */
export function decodeBagAttributes(attributes: readonly pkijs.Attribute[] | undefined): NkpBagMetadata | null {
  const single = (type: string): unknown => {
    const found = (attributes ?? []).filter((a) => sameOid(a.type, type));
    const [only] = found;
    return found.length === 1 && only?.values.length === 1 ? only.values[0] : undefined;
  };
  const text = (type: string, prefix: string): string | null => {
    const value = single(type);
    if (!(value instanceof asn1js.Utf8String)) return null;
    const s = value.valueBlock.value;
    return s.startsWith(prefix) ? s.slice(prefix.length) : null;
  };

  const name = single(OID_FRIENDLY_NAME);
  const providerName = name instanceof asn1js.BmpString ? name.valueBlock.value : '';
  if (providerName.trim() === '') return null;

  const localKeyId = single(OID_LOCAL_KEY_ID);
  const keyIdText = text(OID_KEYLAB_KEY_ID, 'keyId=');
  const keyId = keyIdText === null ? null : normaliseKeyId(keyIdText);
  if (keyId === null || !(localKeyId instanceof asn1js.OctetString)) return null;
  const localKeyIdBytes = localKeyId.valueBlock.valueHexView;
  if (localKeyIdBytes.length !== 16 || bytesToUuid(localKeyIdBytes) !== keyId) {
    return null;
  }

  const exportedText = text(OID_KEYLAB_EXPORTED_AT, 'exportedAt=');
  const exportedAt = exportedText === null ? NaN : Date.parse(exportedText);
  if (!Number.isFinite(exportedAt)) return null;

  const tpmText = text(OID_KEYLAB_TPM_ONLY, 'tpmOnly=');
  if (tpmText !== 'true' && tpmText !== 'false') return null;

  return { providerName, keyId, exportedAt, tpmOnly: tpmText === 'true' };
}
