// KMIP 1.1 enumerations (spec 9.1.3.2) the lab's messages carry, by name both ways. An enumeration value outside a
// table is refused as BAD_VALUE when decoding, so a model never holds a value it cannot name.
import { KmipError } from './errors';

export interface KmipEnum<Name extends string> {
  readonly label: string;
  readonly names: readonly Name[];
  code(name: Name): number;
  /** The name of a decoded value; throws BAD_VALUE for a value the table does not define. */
  nameOf(code: number, offsetHint?: number): Name;
}

function kmipEnum<const T extends Record<string, number>>(label: string, table: T): KmipEnum<Extract<keyof T, string>> {
  type Name = Extract<keyof T, string>;
  const byCode = new Map<number, Name>(Object.entries(table).map(([name, code]) => [code, name as Name]));
  return {
    label,
    names: Object.keys(table) as Name[],
    code: (name) => table[name]!,
    nameOf(code, offsetHint) {
      const name = byCode.get(code);
      if (name === undefined) throw new KmipError('BAD_VALUE', `0x${code.toString(16).padStart(8, '0')} is not a ${label} value`, offsetHint);
      return name;
    },
  };
}

export const Operation = kmipEnum('Operation', {
  Create: 0x01,
  CreateKeyPair: 0x02,
  Register: 0x03,
  ReKey: 0x04,
  DeriveKey: 0x05,
  Certify: 0x06,
  ReCertify: 0x07,
  Locate: 0x08,
  Check: 0x09,
  Get: 0x0a,
  GetAttributes: 0x0b,
  GetAttributeList: 0x0c,
  AddAttribute: 0x0d,
  ModifyAttribute: 0x0e,
  DeleteAttribute: 0x0f,
  ObtainLease: 0x10,
  GetUsageAllocation: 0x11,
  Activate: 0x12,
  Revoke: 0x13,
  Destroy: 0x14,
  Archive: 0x15,
  Recover: 0x16,
  Validate: 0x17,
  Query: 0x18,
  Cancel: 0x19,
  Poll: 0x1a,
  Notify: 0x1b,
  Put: 0x1c,
  ReKeyKeyPair: 0x1d,
  DiscoverVersions: 0x1e,
});
export type OperationName = (typeof Operation.names)[number];

export const ResultStatus = kmipEnum('Result Status', {
  Success: 0x00,
  OperationFailed: 0x01,
  OperationPending: 0x02,
  OperationUndone: 0x03,
});
export type ResultStatusName = (typeof ResultStatus.names)[number];

export const ResultReason = kmipEnum('Result Reason', {
  ItemNotFound: 0x01,
  ResponseTooLarge: 0x02,
  AuthenticationNotSuccessful: 0x03,
  InvalidMessage: 0x04,
  OperationNotSupported: 0x05,
  MissingData: 0x06,
  InvalidField: 0x07,
  FeatureNotSupported: 0x08,
  OperationCanceledByRequester: 0x09,
  CryptographicFailure: 0x0a,
  IllegalOperation: 0x0b,
  PermissionDenied: 0x0c,
  ObjectArchived: 0x0d,
  IndexOutOfBounds: 0x0e,
  ApplicationNamespaceNotSupported: 0x0f,
  KeyFormatTypeNotSupported: 0x10,
  KeyCompressionTypeNotSupported: 0x11,
  EncodingOptionError: 0x12,
  GeneralFailure: 0x100,
});
export type ResultReasonName = (typeof ResultReason.names)[number];

export const ObjectType = kmipEnum('Object Type', {
  Certificate: 0x01,
  SymmetricKey: 0x02,
  PublicKey: 0x03,
  PrivateKey: 0x04,
  SplitKey: 0x05,
  Template: 0x06,
  SecretData: 0x07,
  OpaqueObject: 0x08,
});
export type ObjectTypeName = (typeof ObjectType.names)[number];

export const CryptographicAlgorithm = kmipEnum('Cryptographic Algorithm', {
  DES: 0x01,
  TripleDES: 0x02,
  AES: 0x03,
  RSA: 0x04,
  DSA: 0x05,
  ECDSA: 0x06,
  HMACSHA1: 0x07,
  HMACSHA224: 0x08,
  HMACSHA256: 0x09,
  HMACSHA384: 0x0a,
  HMACSHA512: 0x0b,
  HMACMD5: 0x0c,
  DH: 0x0d,
  ECDH: 0x0e,
  ECMQV: 0x0f,
  Blowfish: 0x10,
  Camellia: 0x11,
  CAST5: 0x12,
  IDEA: 0x13,
  MARS: 0x14,
  RC2: 0x15,
  RC4: 0x16,
  RC5: 0x17,
  SKIPJACK: 0x18,
  Twofish: 0x19,
});
export type CryptographicAlgorithmName = (typeof CryptographicAlgorithm.names)[number];

export const State = kmipEnum('State', {
  PreActive: 0x01,
  Active: 0x02,
  Deactivated: 0x03,
  Compromised: 0x04,
  Destroyed: 0x05,
  DestroyedCompromised: 0x06,
});
export type StateName = (typeof State.names)[number];

export const KeyFormatType = kmipEnum('Key Format Type', {
  Raw: 0x01,
  Opaque: 0x02,
  PKCS1: 0x03,
  PKCS8: 0x04,
  X509: 0x05,
  ECPrivateKey: 0x06,
  TransparentSymmetricKey: 0x07,
});
export type KeyFormatTypeName = (typeof KeyFormatType.names)[number];

export const NameType = kmipEnum('Name Type', { UninterpretedTextString: 0x01, URI: 0x02 });
export type NameTypeName = (typeof NameType.names)[number];

export const QueryFunction = kmipEnum('Query Function', {
  QueryOperations: 0x01,
  QueryObjects: 0x02,
  QueryServerInformation: 0x03,
  QueryApplicationNamespaces: 0x04,
  QueryExtensionList: 0x05,
  QueryExtensionMap: 0x06,
});
export type QueryFunctionName = (typeof QueryFunction.names)[number];

export const RevocationReasonCode = kmipEnum('Revocation Reason Code', {
  Unspecified: 0x01,
  KeyCompromise: 0x02,
  CACompromise: 0x03,
  AffiliationChanged: 0x04,
  Superseded: 0x05,
  CessationOfOperation: 0x06,
  PrivilegeWithdrawn: 0x07,
});
export type RevocationReasonCodeName = (typeof RevocationReasonCode.names)[number];

export const BatchErrorContinuationOption = kmipEnum('Batch Error Continuation Option', { Continue: 0x01, Stop: 0x02, Undo: 0x03 });

/** Cryptographic Usage Mask bits (spec 9.1.3.3.1): an Integer of flags, not an enumeration. */
export const UsageMask = {
  Sign: 0x1,
  Verify: 0x2,
  Encrypt: 0x4,
  Decrypt: 0x8,
  WrapKey: 0x10,
  UnwrapKey: 0x20,
  Export: 0x40,
  MacGenerate: 0x80,
  MacVerify: 0x100,
  DeriveKey: 0x200,
  ContentCommitment: 0x400,
  KeyAgreement: 0x800,
  CertificateSign: 0x1000,
  CrlSign: 0x2000,
  GenerateCryptogram: 0x4000,
  ValidateCryptogram: 0x8000,
  TranslateEncrypt: 0x10000,
  TranslateDecrypt: 0x20000,
  TranslateWrap: 0x40000,
  TranslateUnwrap: 0x80000,
} as const;
