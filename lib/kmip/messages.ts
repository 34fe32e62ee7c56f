// KMIP request and response messages (spec 7): header, batch items, result status/reason/message, payloads. The
// typed model a KMS client or server works with; `encode*` gives the TTLV bytes, `decode*` reads them back or says
// what is wrong, never throwing.
import { guard, KmipError, type KmipResult } from './errors';
import { BatchErrorContinuationOption, Operation, ResultReason, ResultStatus, type OperationName, type ResultReasonName, type ResultStatusName } from './enums';
import { Fields } from './fields';
import {
  decodeProtocolVersion,
  decodeRequestPayload,
  decodeResponsePayload,
  encodeProtocolVersion,
  encodeRequestPayload,
  encodeResponsePayload,
  isSupportedOperation,
  type ProtocolVersion,
  type RequestPayloads,
  type ResponsePayloads,
  type SupportedOperation,
} from './payloads';
import { Tag } from './tags';
import { decodeTtlv, DEFAULT_LIMITS, type DecodeLimits } from './ttlv-decode';
import { encodeTtlv } from './ttlv-encode';
import { ttlv, type TtlvNode } from './ttlv-node';

export const KMIP_1_1: ProtocolVersion = { major: 1, minor: 1 };

interface BatchCommon {
  /** Required by the specification when a message carries more than one batch item. */
  uniqueBatchItemId?: Uint8Array;
}

export type RequestBatchItem =
  | { [K in SupportedOperation]: BatchCommon & { operation: K; payload: RequestPayloads[K] } }[SupportedOperation]
  /** An operation the lab does not implement: kept so a server can answer Operation Not Supported. */
  | (BatchCommon & { operation: Exclude<OperationName, SupportedOperation>; payload?: undefined });

export interface RequestMessage {
  protocolVersion: ProtocolVersion;
  maximumResponseSize?: number;
  /** Seconds since the epoch; PyKMIP's server refuses a request stamped more than 60 s ago or in the future. */
  timeStamp?: number;
  batchItems: RequestBatchItem[];
}

interface ResultFields {
  resultStatus: ResultStatusName;
  resultReason?: ResultReasonName;
  resultMessage?: string;
}

export type ResponseBatchItem =
  | { [K in SupportedOperation]: BatchCommon & ResultFields & { operation: K; payload?: ResponsePayloads[K] } }[SupportedOperation]
  | (BatchCommon & ResultFields & { operation?: Exclude<OperationName, SupportedOperation>; payload?: undefined });

export interface ResponseMessage {
  protocolVersion: ProtocolVersion;
  timeStamp: number;
  batchItems: ResponseBatchItem[];
}

// ---- encoding ----

function batchId(item: BatchCommon): TtlvNode[] {
  return item.uniqueBatchItemId ? [ttlv.bytes(Tag.UniqueBatchItemId, item.uniqueBatchItemId)] : [];
}

export function requestToTtlv(message: RequestMessage): TtlvNode {
  const header: TtlvNode[] = [encodeProtocolVersion(message.protocolVersion)];
  if (message.maximumResponseSize !== undefined) header.push(ttlv.int(Tag.MaximumResponseSize, message.maximumResponseSize));
  if (message.timeStamp !== undefined) header.push(ttlv.date(Tag.TimeStamp, message.timeStamp));
  header.push(ttlv.int(Tag.BatchCount, message.batchItems.length));
  const items = message.batchItems.map((item) => {
    const children = [ttlv.enumeration(Tag.Operation, Operation.code(item.operation)), ...batchId(item)];
    if (isSupportedOperation(item.operation)) {
      children.push(encodeRequestPayload(item.operation, item.payload as never));
    } else {
      children.push(ttlv.struct(Tag.RequestPayload, []));
    }
    return ttlv.struct(Tag.BatchItem, children);
  });
  return ttlv.struct(Tag.RequestMessage, [ttlv.struct(Tag.RequestHeader, header), ...items]);
}

export function responseToTtlv(message: ResponseMessage): TtlvNode {
  const header = ttlv.struct(Tag.ResponseHeader, [
    encodeProtocolVersion(message.protocolVersion),
    ttlv.date(Tag.TimeStamp, message.timeStamp),
    ttlv.int(Tag.BatchCount, message.batchItems.length),
  ]);
  const items = message.batchItems.map((item) => {
    const children: TtlvNode[] = [];
    if (item.operation) children.push(ttlv.enumeration(Tag.Operation, Operation.code(item.operation)));
    children.push(...batchId(item), ttlv.enumeration(Tag.ResultStatus, ResultStatus.code(item.resultStatus)));
    if (item.resultReason) children.push(ttlv.enumeration(Tag.ResultReason, ResultReason.code(item.resultReason)));
    if (item.resultMessage !== undefined) children.push(ttlv.text(Tag.ResultMessage, item.resultMessage));
    if (item.payload && item.operation && isSupportedOperation(item.operation)) {
      children.push(encodeResponsePayload(item.operation, item.payload as never));
    }
    return ttlv.struct(Tag.BatchItem, children);
  });
  return ttlv.struct(Tag.ResponseMessage, [header, ...items]);
}

export function encodeRequest(message: RequestMessage): Uint8Array {
  return encodeTtlv(requestToTtlv(message));
}

export function encodeResponse(message: ResponseMessage): Uint8Array {
  return encodeTtlv(responseToTtlv(message));
}

// ---- decoding ----

function checkBatchCount(declared: number, items: number, path: string): void {
  if (declared !== items) throw new KmipError('BAD_VALUE', `${path} says Batch Count ${declared} but carries ${items} batch items`);
  if (items === 0) throw new KmipError('MISSING_FIELD', `${path} carries no batch item`);
}

export function requestFromTtlv(node: TtlvNode): RequestMessage {
  const m = Fields.of(node, 'RequestMessage');
  const h = m.struct('RequestHeader');
  const protocolVersion = decodeProtocolVersion(h.one('ProtocolVersion'), h.path);
  const maximumResponseSize = h.optInt('MaximumResponseSize');
  const timeStamp = h.optDate('TimeStamp');
  const batchCount = h.int('BatchCount');
  // Fields of the 1.1 header the lab does not act on are still read, so a peer that sends them is not refused.
  h.optBool('AsynchronousIndicator');
  h.optEnumeration('BatchErrorContinuationOption', BatchErrorContinuationOption);
  h.optBool('BatchOrderOption');
  h.done();
  const batchItems = m.many('BatchItem').map((itemNode): RequestBatchItem => {
    const b = Fields.of(itemNode, 'BatchItem', m.path);
    const operation = b.enumeration('Operation', Operation);
    const uniqueBatchItemId = b.optBytes('UniqueBatchItemId');
    const payloadNode = b.one('RequestPayload');
    b.done();
    const common = uniqueBatchItemId ? { uniqueBatchItemId } : {};
    if (!isSupportedOperation(operation)) return { ...common, operation } as RequestBatchItem;
    const payload = decodeRequestPayload(operation, Fields.of(payloadNode, 'RequestPayload', b.path));
    return { ...common, operation, payload } as RequestBatchItem;
  });
  m.done();
  checkBatchCount(batchCount, batchItems.length, m.path);
  return {
    protocolVersion,
    ...(maximumResponseSize !== undefined && { maximumResponseSize }),
    ...(timeStamp !== undefined && { timeStamp }),
    batchItems,
  };
}

export function responseFromTtlv(node: TtlvNode): ResponseMessage {
  const m = Fields.of(node, 'ResponseMessage');
  const h = m.struct('ResponseHeader');
  const protocolVersion = decodeProtocolVersion(h.one('ProtocolVersion'), h.path);
  const timeStamp = h.date('TimeStamp');
  const batchCount = h.int('BatchCount');
  h.done();
  const batchItems = m.many('BatchItem').map((itemNode): ResponseBatchItem => {
    const b = Fields.of(itemNode, 'BatchItem', m.path);
    const operation = b.optEnumeration('Operation', Operation);
    const uniqueBatchItemId = b.optBytes('UniqueBatchItemId');
    const resultStatus = b.enumeration('ResultStatus', ResultStatus);
    const resultReason = b.optEnumeration('ResultReason', ResultReason);
    const resultMessage = b.optText('ResultMessage');
    const payloadNode = b.opt('ResponsePayload');
    b.done();
    if (resultStatus === 'OperationFailed' && !resultReason) {
      throw new KmipError('MISSING_FIELD', `${b.path} failed but gives no Result Reason`);
    }
    const item = {
      ...(operation && { operation }),
      ...(uniqueBatchItemId && { uniqueBatchItemId }),
      resultStatus,
      ...(resultReason && { resultReason }),
      ...(resultMessage !== undefined && { resultMessage }),
    } as ResponseBatchItem;
    if (payloadNode) {
      if (!operation || !isSupportedOperation(operation)) {
        throw new KmipError('UNEXPECTED_FIELD', `${b.path} has a payload for ${operation ?? 'no operation'}, which this lab cannot read`);
      }
      item.payload = decodeResponsePayload(operation, Fields.of(payloadNode, 'ResponsePayload', b.path)) as never;
    }
    return item;
  });
  m.done();
  checkBatchCount(batchCount, batchItems.length, m.path);
  return { protocolVersion, timeStamp, batchItems };
}

export function decodeRequest(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): KmipResult<RequestMessage> {
  const tree = decodeTtlv(bytes, limits);
  return tree.ok ? guard(() => requestFromTtlv(tree.value)) : tree;
}

export function decodeResponse(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): KmipResult<ResponseMessage> {
  const tree = decodeTtlv(bytes, limits);
  return tree.ok ? guard(() => responseFromTtlv(tree.value)) : tree;
}
