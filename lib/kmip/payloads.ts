// Request and response payloads of the nine operations vCenter's conversation with a KMS uses (spec 4 and 6), each
// a typed record with its encoder and decoder side by side, so a field cannot be written one way and read another.
import { decodeAttribute, encodeAttribute, type Attribute } from './attributes';
import {
  KeyFormatType,
  ObjectType,
  Operation,
  QueryFunction,
  RevocationReasonCode,
  type KeyFormatTypeName,
  type ObjectTypeName,
  type OperationName,
  type QueryFunctionName,
  type RevocationReasonCodeName,
} from './enums';
import { CryptographicAlgorithm, type CryptographicAlgorithmName } from './enums';
import { Fields } from './fields';
import { Tag } from './tags';
import { ttlv, type TtlvNode } from './ttlv-node';

export interface ProtocolVersion {
  major: number;
  minor: number;
}

export interface SymmetricKeyObject {
  keyFormatType: KeyFormatTypeName;
  keyMaterial: Uint8Array;
  cryptographicAlgorithm?: CryptographicAlgorithmName;
  cryptographicLength?: number;
}

export interface RequestPayloads {
  DiscoverVersions: { protocolVersions: ProtocolVersion[] };
  Query: { queryFunctions: QueryFunctionName[] };
  Create: { objectType: ObjectTypeName; attributes: Attribute[] };
  Activate: { uniqueIdentifier?: string };
  Get: { uniqueIdentifier?: string; keyFormatType?: KeyFormatTypeName };
  GetAttributes: { uniqueIdentifier?: string; attributeNames: string[] };
  Locate: { maximumItems?: number; attributes: Attribute[] };
  Revoke: {
    uniqueIdentifier?: string;
    revocationReason: { code: RevocationReasonCodeName; message?: string };
    compromiseOccurrenceDate?: number;
  };
  Destroy: { uniqueIdentifier?: string };
}

export interface ResponsePayloads {
  DiscoverVersions: { protocolVersions: ProtocolVersion[] };
  Query: { operations: OperationName[]; objectTypes: ObjectTypeName[]; vendorIdentification?: string };
  Create: { objectType: ObjectTypeName; uniqueIdentifier: string };
  Activate: { uniqueIdentifier: string };
  Get: { objectType: ObjectTypeName; uniqueIdentifier: string; symmetricKey: SymmetricKeyObject };
  GetAttributes: { uniqueIdentifier: string; attributes: Attribute[] };
  Locate: { uniqueIdentifiers: string[] };
  Revoke: { uniqueIdentifier: string };
  Destroy: { uniqueIdentifier: string };
}

export type SupportedOperation = keyof RequestPayloads;

export const SUPPORTED_OPERATIONS: readonly SupportedOperation[] = [
  'DiscoverVersions',
  'Query',
  'Create',
  'Activate',
  'Get',
  'GetAttributes',
  'Locate',
  'Revoke',
  'Destroy',
];

export function isSupportedOperation(op: OperationName): op is SupportedOperation {
  return (SUPPORTED_OPERATIONS as readonly string[]).includes(op);
}

// ---- shared pieces ----

export function encodeProtocolVersion(v: ProtocolVersion): TtlvNode {
  return ttlv.struct(Tag.ProtocolVersion, [ttlv.int(Tag.ProtocolVersionMajor, v.major), ttlv.int(Tag.ProtocolVersionMinor, v.minor)]);
}

export function decodeProtocolVersion(node: TtlvNode, parentPath: string): ProtocolVersion {
  const f = Fields.of(node, 'ProtocolVersion', parentPath);
  const v = { major: f.int('ProtocolVersionMajor'), minor: f.int('ProtocolVersionMinor') };
  f.done();
  return v;
}

const uid = (id: string | undefined): TtlvNode[] => (id === undefined ? [] : [ttlv.text(Tag.UniqueIdentifier, id)]);
const optUid = (f: Fields): { uniqueIdentifier?: string } => {
  const id = f.optText('UniqueIdentifier');
  return id === undefined ? {} : { uniqueIdentifier: id };
};

function encodeSymmetricKey(key: SymmetricKeyObject): TtlvNode {
  const block: TtlvNode[] = [
    ttlv.enumeration(Tag.KeyFormatType, KeyFormatType.code(key.keyFormatType)),
    ttlv.struct(Tag.KeyValue, [ttlv.bytes(Tag.KeyMaterial, key.keyMaterial)]),
  ];
  if (key.cryptographicAlgorithm) block.push(ttlv.enumeration(Tag.CryptographicAlgorithm, CryptographicAlgorithm.code(key.cryptographicAlgorithm)));
  if (key.cryptographicLength !== undefined) block.push(ttlv.int(Tag.CryptographicLength, key.cryptographicLength));
  return ttlv.struct(Tag.SymmetricKey, [ttlv.struct(Tag.KeyBlock, block)]);
}

function decodeSymmetricKey(f: Fields): SymmetricKeyObject {
  const key = f.struct('SymmetricKey');
  const block = key.struct('KeyBlock');
  key.done();
  const keyFormatType = block.enumeration('KeyFormatType', KeyFormatType);
  const value = block.struct('KeyValue');
  const keyMaterial = value.bytes('KeyMaterial');
  value.done();
  const cryptographicAlgorithm = block.optEnumeration('CryptographicAlgorithm', CryptographicAlgorithm);
  const cryptographicLength = block.optInt('CryptographicLength');
  block.done();
  return {
    keyFormatType,
    keyMaterial,
    ...(cryptographicAlgorithm && { cryptographicAlgorithm }),
    ...(cryptographicLength !== undefined && { cryptographicLength }),
  };
}

// ---- requests ----

type Encoders<P> = { [K in keyof P]: (payload: P[K]) => TtlvNode[] };
type Decoders<P> = { [K in keyof P]: (f: Fields) => P[K] };

const requestEncoders: Encoders<RequestPayloads> = {
  DiscoverVersions: (p) => p.protocolVersions.map(encodeProtocolVersion),
  Query: (p) => p.queryFunctions.map((q) => ttlv.enumeration(Tag.QueryFunction, QueryFunction.code(q))),
  Create: (p) => [
    ttlv.enumeration(Tag.ObjectType, ObjectType.code(p.objectType)),
    ttlv.struct(Tag.TemplateAttribute, p.attributes.map(encodeAttribute)),
  ],
  Activate: (p) => uid(p.uniqueIdentifier),
  Get: (p) => [
    ...uid(p.uniqueIdentifier),
    ...(p.keyFormatType ? [ttlv.enumeration(Tag.KeyFormatType, KeyFormatType.code(p.keyFormatType))] : []),
  ],
  GetAttributes: (p) => [...uid(p.uniqueIdentifier), ...p.attributeNames.map((n) => ttlv.text(Tag.AttributeName, n))],
  Locate: (p) => [...(p.maximumItems === undefined ? [] : [ttlv.int(Tag.MaximumItems, p.maximumItems)]), ...p.attributes.map(encodeAttribute)],
  Revoke: (p) => [
    ...uid(p.uniqueIdentifier),
    ttlv.struct(Tag.RevocationReason, [
      ttlv.enumeration(Tag.RevocationReasonCode, RevocationReasonCode.code(p.revocationReason.code)),
      ...(p.revocationReason.message === undefined ? [] : [ttlv.text(Tag.RevocationMessage, p.revocationReason.message)]),
    ]),
    ...(p.compromiseOccurrenceDate === undefined ? [] : [ttlv.date(Tag.CompromiseOccurrenceDate, p.compromiseOccurrenceDate)]),
  ],
  Destroy: (p) => uid(p.uniqueIdentifier),
};

const requestDecoders: Decoders<RequestPayloads> = {
  DiscoverVersions: (f) => ({ protocolVersions: f.many('ProtocolVersion').map((n) => decodeProtocolVersion(n, f.path)) }),
  Query: (f) => ({ queryFunctions: f.enumerations('QueryFunction', QueryFunction) }),
  Create: (f) => {
    const objectType = f.enumeration('ObjectType', ObjectType);
    const template = f.struct('TemplateAttribute');
    const attributes = template.many('Attribute').map((n) => decodeAttribute(n, template.path));
    template.done();
    return { objectType, attributes };
  },
  Activate: optUid,
  Get: (f) => {
    const keyFormatType = f.optEnumeration('KeyFormatType', KeyFormatType);
    return { ...optUid(f), ...(keyFormatType && { keyFormatType }) };
  },
  GetAttributes: (f) => ({ ...optUid(f), attributeNames: f.many('AttributeName').map((n) => n.value as string) }),
  Locate: (f) => {
    const maximumItems = f.optInt('MaximumItems');
    return {
      ...(maximumItems !== undefined && { maximumItems }),
      attributes: f.many('Attribute').map((n) => decodeAttribute(n, f.path)),
    };
  },
  Revoke: (f) => {
    const reason = f.struct('RevocationReason');
    const code = reason.enumeration('RevocationReasonCode', RevocationReasonCode);
    const message = reason.optText('RevocationMessage');
    reason.done();
    const compromiseOccurrenceDate = f.optDate('CompromiseOccurrenceDate');
    return {
      ...optUid(f),
      revocationReason: message === undefined ? { code } : { code, message },
      ...(compromiseOccurrenceDate !== undefined && { compromiseOccurrenceDate }),
    };
  },
  Destroy: optUid,
};

// ---- responses ----

const responseEncoders: Encoders<ResponsePayloads> = {
  DiscoverVersions: (p) => p.protocolVersions.map(encodeProtocolVersion),
  Query: (p) => [
    ...p.operations.map((o) => ttlv.enumeration(Tag.Operation, Operation.code(o))),
    ...p.objectTypes.map((o) => ttlv.enumeration(Tag.ObjectType, ObjectType.code(o))),
    ...(p.vendorIdentification === undefined ? [] : [ttlv.text(Tag.VendorIdentification, p.vendorIdentification)]),
  ],
  Create: (p) => [ttlv.enumeration(Tag.ObjectType, ObjectType.code(p.objectType)), ttlv.text(Tag.UniqueIdentifier, p.uniqueIdentifier)],
  Activate: (p) => uid(p.uniqueIdentifier),
  Get: (p) => [
    ttlv.enumeration(Tag.ObjectType, ObjectType.code(p.objectType)),
    ttlv.text(Tag.UniqueIdentifier, p.uniqueIdentifier),
    encodeSymmetricKey(p.symmetricKey),
  ],
  GetAttributes: (p) => [ttlv.text(Tag.UniqueIdentifier, p.uniqueIdentifier), ...p.attributes.map(encodeAttribute)],
  Locate: (p) => p.uniqueIdentifiers.map((id) => ttlv.text(Tag.UniqueIdentifier, id)),
  Revoke: (p) => uid(p.uniqueIdentifier),
  Destroy: (p) => uid(p.uniqueIdentifier),
};

const responseDecoders: Decoders<ResponsePayloads> = {
  DiscoverVersions: (f) => ({ protocolVersions: f.many('ProtocolVersion').map((n) => decodeProtocolVersion(n, f.path)) }),
  Query: (f) => {
    const vendorIdentification = f.optText('VendorIdentification');
    return {
      operations: f.enumerations('Operation', Operation),
      objectTypes: f.enumerations('ObjectType', ObjectType),
      ...(vendorIdentification !== undefined && { vendorIdentification }),
    };
  },
  Create: (f) => ({ objectType: f.enumeration('ObjectType', ObjectType), uniqueIdentifier: f.text('UniqueIdentifier') }),
  Activate: (f) => ({ uniqueIdentifier: f.text('UniqueIdentifier') }),
  Get: (f) => ({
    objectType: f.enumeration('ObjectType', ObjectType),
    uniqueIdentifier: f.text('UniqueIdentifier'),
    symmetricKey: decodeSymmetricKey(f),
  }),
  GetAttributes: (f) => ({
    uniqueIdentifier: f.text('UniqueIdentifier'),
    attributes: f.many('Attribute').map((n) => decodeAttribute(n, f.path)),
  }),
  Locate: (f) => ({ uniqueIdentifiers: f.many('UniqueIdentifier').map((n) => n.value as string) }),
  Revoke: (f) => ({ uniqueIdentifier: f.text('UniqueIdentifier') }),
  Destroy: (f) => ({ uniqueIdentifier: f.text('UniqueIdentifier') }),
};

export function encodeRequestPayload<K extends SupportedOperation>(op: K, payload: RequestPayloads[K]): TtlvNode {
  return ttlv.struct(Tag.RequestPayload, requestEncoders[op](payload));
}

export function decodeRequestPayload<K extends SupportedOperation>(op: K, f: Fields): RequestPayloads[K] {
  const payload = requestDecoders[op](f);
  f.done();
  return payload;
}

export function encodeResponsePayload<K extends SupportedOperation>(op: K, payload: ResponsePayloads[K]): TtlvNode {
  return ttlv.struct(Tag.ResponsePayload, responseEncoders[op](payload));
}

export function decodeResponsePayload<K extends SupportedOperation>(op: K, f: Fields): ResponsePayloads[K] {
  const payload = responseDecoders[op](f);
  f.done();
  return payload;
}
