// The KMIP 1.1 tags this codec reads and writes (spec 9.1.3.1), each with the one item type the specification gives
// it. A tag outside this table is refused as unknown; a known tag with another type is refused as the wrong type.
import type { ItemType } from './item-type';

interface TagInfo {
  readonly code: number;
  /** The specification's name, shown in the wire view. */
  readonly label: string;
  /** 'any' only for Attribute Value, whose type follows the Attribute Name beside it. */
  readonly type: ItemType | 'any';
}

function tag(code: number, label: string, type: ItemType | 'any'): TagInfo {
  return { code, label, type };
}

export const TAGS = {
  ActivationDate: tag(0x420001, 'Activation Date', 'DateTime'),
  AsynchronousIndicator: tag(0x420007, 'Asynchronous Indicator', 'Boolean'),
  Attribute: tag(0x420008, 'Attribute', 'Structure'),
  AttributeIndex: tag(0x420009, 'Attribute Index', 'Integer'),
  AttributeName: tag(0x42000a, 'Attribute Name', 'TextString'),
  AttributeValue: tag(0x42000b, 'Attribute Value', 'any'),
  BatchCount: tag(0x42000d, 'Batch Count', 'Integer'),
  BatchErrorContinuationOption: tag(0x42000e, 'Batch Error Continuation Option', 'Enumeration'),
  BatchItem: tag(0x42000f, 'Batch Item', 'Structure'),
  BatchOrderOption: tag(0x420010, 'Batch Order Option', 'Boolean'),
  CompromiseDate: tag(0x420020, 'Compromise Date', 'DateTime'),
  CompromiseOccurrenceDate: tag(0x420021, 'Compromise Occurrence Date', 'DateTime'),
  CryptographicAlgorithm: tag(0x420028, 'Cryptographic Algorithm', 'Enumeration'),
  CryptographicLength: tag(0x42002a, 'Cryptographic Length', 'Integer'),
  CryptographicUsageMask: tag(0x42002c, 'Cryptographic Usage Mask', 'Integer'),
  DeactivationDate: tag(0x42002f, 'Deactivation Date', 'DateTime'),
  DestroyDate: tag(0x420033, 'Destroy Date', 'DateTime'),
  InitialDate: tag(0x420039, 'Initial Date', 'DateTime'),
  KeyBlock: tag(0x420040, 'Key Block', 'Structure'),
  KeyCompressionType: tag(0x420041, 'Key Compression Type', 'Enumeration'),
  KeyFormatType: tag(0x420042, 'Key Format Type', 'Enumeration'),
  KeyMaterial: tag(0x420043, 'Key Material', 'ByteString'),
  KeyValue: tag(0x420045, 'Key Value', 'Structure'),
  LastChangeDate: tag(0x420048, 'Last Change Date', 'DateTime'),
  MaximumItems: tag(0x42004f, 'Maximum Items', 'Integer'),
  MaximumResponseSize: tag(0x420050, 'Maximum Response Size', 'Integer'),
  Name: tag(0x420053, 'Name', 'Structure'),
  NameType: tag(0x420054, 'Name Type', 'Enumeration'),
  NameValue: tag(0x420055, 'Name Value', 'TextString'),
  ObjectGroup: tag(0x420056, 'Object Group', 'TextString'),
  ObjectType: tag(0x420057, 'Object Type', 'Enumeration'),
  Operation: tag(0x42005c, 'Operation', 'Enumeration'),
  OperationPolicyName: tag(0x42005d, 'Operation Policy Name', 'TextString'),
  ProcessStartDate: tag(0x420067, 'Process Start Date', 'DateTime'),
  ProtectStopDate: tag(0x420068, 'Protect Stop Date', 'DateTime'),
  ProtocolVersion: tag(0x420069, 'Protocol Version', 'Structure'),
  ProtocolVersionMajor: tag(0x42006a, 'Protocol Version Major', 'Integer'),
  ProtocolVersionMinor: tag(0x42006b, 'Protocol Version Minor', 'Integer'),
  QueryFunction: tag(0x420074, 'Query Function', 'Enumeration'),
  RequestHeader: tag(0x420077, 'Request Header', 'Structure'),
  RequestMessage: tag(0x420078, 'Request Message', 'Structure'),
  RequestPayload: tag(0x420079, 'Request Payload', 'Structure'),
  ResponseHeader: tag(0x42007a, 'Response Header', 'Structure'),
  ResponseMessage: tag(0x42007b, 'Response Message', 'Structure'),
  ResponsePayload: tag(0x42007c, 'Response Payload', 'Structure'),
  ResultMessage: tag(0x42007d, 'Result Message', 'TextString'),
  ResultReason: tag(0x42007e, 'Result Reason', 'Enumeration'),
  ResultStatus: tag(0x42007f, 'Result Status', 'Enumeration'),
  RevocationMessage: tag(0x420080, 'Revocation Message', 'TextString'),
  RevocationReason: tag(0x420081, 'Revocation Reason', 'Structure'),
  RevocationReasonCode: tag(0x420082, 'Revocation Reason Code', 'Enumeration'),
  ServerInformation: tag(0x420088, 'Server Information', 'Structure'),
  State: tag(0x42008d, 'State', 'Enumeration'),
  SymmetricKey: tag(0x42008f, 'Symmetric Key', 'Structure'),
  TemplateAttribute: tag(0x420091, 'Template-Attribute', 'Structure'),
  TimeStamp: tag(0x420092, 'Time Stamp', 'DateTime'),
  UniqueBatchItemId: tag(0x420093, 'Unique Batch Item ID', 'ByteString'),
  UniqueIdentifier: tag(0x420094, 'Unique Identifier', 'TextString'),
  VendorIdentification: tag(0x42009d, 'Vendor Identification', 'TextString'),
} as const;

export type TagName = keyof typeof TAGS;

/** Tag codes by name, for writing: `Tag.UniqueIdentifier === 0x420094`. */
export const Tag = Object.fromEntries(Object.entries(TAGS).map(([name, info]) => [name, info.code])) as {
  readonly [K in TagName]: number;
};

const BY_CODE = new Map<number, TagInfo & { name: TagName }>(
  Object.entries(TAGS).map(([name, info]) => [info.code, { ...info, name: name as TagName }]),
);

export function tagInfo(code: number): (TagInfo & { name: TagName }) | undefined {
  return BY_CODE.get(code);
}

export function tagLabel(code: number): string {
  return BY_CODE.get(code)?.label ?? `Tag 0x${code.toString(16).toUpperCase().padStart(6, '0')}`;
}
