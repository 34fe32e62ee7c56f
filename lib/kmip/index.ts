// lib/kmip: KMIP 1.1 on the wire between vCenter and the KMS nodes. The codec (TTLV tree and typed messages), the
// KMS-side handler over a key store, and the rows of a wire view; pure TypeScript, no DOM.
export { KmipError, type KmipErrorCode, type KmipResult } from './errors';
export { Tag, TAGS, tagLabel, type TagName } from './tags';
export { ITEM_TYPE_LABELS, type ItemType } from './item-type';
export * from './enums';
export { ttlv, type TtlvNode } from './ttlv-node';
export { encodeTtlv } from './ttlv-encode';
export { decodeTtlv, DEFAULT_LIMITS, type DecodeLimits } from './ttlv-decode';
export { attr, ATTRIBUTE_NAMES, type Attribute, type AttributeName, type AttributeValues } from './attributes';
export { SUPPORTED_OPERATIONS, type ProtocolVersion, type RequestPayloads, type ResponsePayloads, type SupportedOperation } from './payloads';
export {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  KMIP_1_1,
  type RequestBatchItem,
  type RequestMessage,
  type ResponseBatchItem,
  type ResponseMessage,
} from './messages';
export { messageLength, TTLV_HEADER_BYTES } from './framing';
export { InMemoryKeyStore, type KmipKeyStore, type StoredKey } from './key-store';
export { handleRequest, handleRequestMessage, keyAttributes, SUPPORTED_VERSIONS, type KmsContext } from './kms-handler';
export { wireRows, type WireRow } from './wire-tree';
export { benchKmipCodec, type KmipCodecFigures } from './bench';
export { exportExchanges, maskKeyMaterial, summarizeExchange, type ExchangeSummary, type WireExchange } from './wire-exchange';
