// The neutral form of a message that the lab and PyKMIP both write (see pykmip_bridge.py): enumerations as their
// numbers, byte strings as hex, protocol versions as "1.1". Comparing neutral forms compares fields, not spellings.
import type { Attribute } from '../attributes';
import {
  CryptographicAlgorithm,
  KeyFormatType,
  NameType,
  ObjectType,
  Operation,
  QueryFunction,
  ResultReason,
  ResultStatus,
  RevocationReasonCode,
  State,
} from '../enums';
import type { RequestMessage, ResponseMessage } from '../messages';
import type { ProtocolVersion } from '../payloads';

export type Neutral = Record<string, unknown>;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const version = (v: ProtocolVersion) => `${v.major}.${v.minor}`;

export function neutralAttribute(a: Attribute): Neutral {
  let value: unknown = a.value;
  if (a.name === 'Name') value = { value: a.value.value, type: NameType.code(a.value.type) };
  if (a.name === 'Object Type') value = ObjectType.code(a.value);
  if (a.name === 'Cryptographic Algorithm') value = CryptographicAlgorithm.code(a.value);
  if (a.name === 'State') value = State.code(a.value);
  return a.index === undefined ? { name: a.name, value } : { name: a.name, index: a.index, value };
}

function without<T extends Neutral>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function neutralRequest(m: RequestMessage): Neutral {
  return without({
    protocolVersion: version(m.protocolVersion),
    batchCount: m.batchItems.length,
    timeStamp: m.timeStamp,
    maximumResponseSize: m.maximumResponseSize,
    items: m.batchItems.map((item) => {
      const base = without({ operation: Operation.code(item.operation), uniqueBatchItemId: item.uniqueBatchItemId && hex(item.uniqueBatchItemId) });
      let payload: Neutral;
      switch (item.operation) {
        case 'DiscoverVersions':
          payload = { protocolVersions: item.payload.protocolVersions.map(version) };
          break;
        case 'Query':
          payload = { queryFunctions: item.payload.queryFunctions.map((q) => QueryFunction.code(q)) };
          break;
        case 'Create':
          payload = { objectType: ObjectType.code(item.payload.objectType), attributes: item.payload.attributes.map(neutralAttribute) };
          break;
        case 'Activate':
        case 'Destroy':
          payload = { uniqueIdentifier: item.payload.uniqueIdentifier };
          break;
        case 'Get':
          payload = without({
            uniqueIdentifier: item.payload.uniqueIdentifier,
            keyFormatType: item.payload.keyFormatType && KeyFormatType.code(item.payload.keyFormatType),
          });
          break;
        case 'GetAttributes':
          payload = { uniqueIdentifier: item.payload.uniqueIdentifier, attributeNames: item.payload.attributeNames };
          break;
        case 'Locate':
          payload = without({ attributes: item.payload.attributes.map(neutralAttribute), maximumItems: item.payload.maximumItems });
          break;
        case 'Revoke':
          payload = without({
            uniqueIdentifier: item.payload.uniqueIdentifier,
            revocationReasonCode: RevocationReasonCode.code(item.payload.revocationReason.code),
            revocationMessage: item.payload.revocationReason.message,
            compromiseOccurrenceDate: item.payload.compromiseOccurrenceDate,
          });
          break;
        default:
          throw new Error(`No neutral form for ${item.operation}`);
      }
      return { ...base, payload };
    }),
  });
}

export function neutralResponse(m: ResponseMessage): Neutral {
  return {
    protocolVersion: version(m.protocolVersion),
    timeStamp: m.timeStamp,
    batchCount: m.batchItems.length,
    items: m.batchItems.map((item) => {
      const base = without({
        resultStatus: ResultStatus.code(item.resultStatus),
        operation: item.operation && Operation.code(item.operation),
        uniqueBatchItemId: item.uniqueBatchItemId && hex(item.uniqueBatchItemId),
        resultReason: item.resultReason && ResultReason.code(item.resultReason),
        resultMessage: item.resultMessage,
      });
      if (!item.payload) return base;
      let payload: Neutral;
      switch (item.operation) {
        case 'DiscoverVersions':
          payload = { protocolVersions: item.payload.protocolVersions.map(version) };
          break;
        case 'Query':
          payload = without({
            operations: item.payload.operations.map((o) => Operation.code(o)),
            objectTypes: item.payload.objectTypes.map((o) => ObjectType.code(o)),
            vendorIdentification: item.payload.vendorIdentification,
          });
          break;
        case 'Create':
          payload = { objectType: ObjectType.code(item.payload.objectType), uniqueIdentifier: item.payload.uniqueIdentifier };
          break;
        case 'Activate':
        case 'Revoke':
        case 'Destroy':
          payload = { uniqueIdentifier: item.payload.uniqueIdentifier };
          break;
        case 'Get': {
          const k = item.payload.symmetricKey;
          payload = without({
            objectType: ObjectType.code(item.payload.objectType),
            uniqueIdentifier: item.payload.uniqueIdentifier,
            keyFormatType: KeyFormatType.code(k.keyFormatType),
            keyMaterial: hex(k.keyMaterial),
            cryptographicAlgorithm: k.cryptographicAlgorithm && CryptographicAlgorithm.code(k.cryptographicAlgorithm),
            cryptographicLength: k.cryptographicLength,
          });
          break;
        }
        case 'GetAttributes':
          payload = { uniqueIdentifier: item.payload.uniqueIdentifier, attributes: item.payload.attributes.map(neutralAttribute) };
          break;
        case 'Locate':
          payload = { uniqueIdentifiers: item.payload.uniqueIdentifiers };
          break;
        default:
          throw new Error(`No neutral form for ${String((item as { operation?: string }).operation)}`);
      }
      return { ...base, payload };
    }),
  };
}
