// A KMS node's side of KMIP 1.1: request bytes in, response bytes out, answered from a KmipKeyStore. The result
// statuses, reasons and state rules follow PyKMIP 0.10's server engine (the peer the tests compare against), e.g.
// Get returns a key in any state but destroyed (the specification restricts cryptographic use, not Get), Activate
// needs Pre-Active, Destroy refuses an Active key, and a destroyed key is as good as absent: Item Not Found.
import { attr, type Attribute } from './attributes';
import { KmipError } from './errors';
import type { ObjectTypeName, OperationName, ResultReasonName } from './enums';
import type { StoredKey, KmipKeyStore } from './key-store';
import { decodeRequest, encodeResponse, KMIP_1_1, type RequestBatchItem, type RequestMessage, type ResponseBatchItem, type ResponseMessage } from './messages';
import type { ProtocolVersion, RequestPayloads, ResponsePayloads, SupportedOperation } from './payloads';

export interface KmsContext {
  store: KmipKeyStore;
  /** Seconds since the epoch on the lab's clock. */
  now(): number;
  /** Fresh key material (WebCrypto's getRandomValues in the lab). */
  randomBytes(count: number): Uint8Array;
  vendorIdentification?: string;
}

export const SUPPORTED_VERSIONS: ProtocolVersion[] = [KMIP_1_1, { major: 1, minor: 0 }];

/** The operations Query lists, as PyKMIP 0.10 does for a KMIP 1.1 request. */
const QUERY_OPERATIONS: OperationName[] = [
  'Create',
  'CreateKeyPair',
  'Register',
  'DeriveKey',
  'Locate',
  'Get',
  'GetAttributes',
  'GetAttributeList',
  'Activate',
  'Revoke',
  'Destroy',
  'Query',
  'DiscoverVersions',
];

const AES_LENGTHS = [128, 192, 256];

/** A refusal of one batch item, with the KMIP reason it is answered with. */
class Refusal extends Error {
  constructor(
    readonly reason: ResultReasonName,
    message: string,
  ) {
    super(message);
  }
}

function failure(reason: ResultReasonName, message: string, operation?: OperationName): ResponseBatchItem {
  return { ...(operation && { operation }), resultStatus: 'OperationFailed', resultReason: reason, resultMessage: message } as ResponseBatchItem;
}

function findKey(ctx: KmsContext, id: string | undefined, placeholder: string | undefined): StoredKey {
  const uid = id ?? placeholder;
  const key = uid === undefined ? undefined : ctx.store.get(uid);
  if (!key || key.state === 'Destroyed' || key.state === 'DestroyedCompromised') {
    throw new Refusal('ItemNotFound', `Could not locate object: ${uid ?? '(no identifier)'}`);
  }
  return key;
}

/**
 * The attributes Get Attributes reports for a key: the set and order PyKMIP 0.10 reports for a symmetric key, which
 * leaves out the Activation and Deactivation Dates it does not keep (the store keeps them, for the KMS page).
 */
export function keyAttributes(key: StoredKey): Attribute[] {
  return [
    attr('Unique Identifier', key.uniqueIdentifier),
    ...key.names.map((n, i) => attr('Name', { value: n, type: 'UninterpretedTextString' }, i)),
    attr('Object Type', 'SymmetricKey'),
    attr('Cryptographic Algorithm', key.algorithm),
    attr('Cryptographic Length', key.length),
    attr('Operation Policy Name', 'default'),
    attr('Cryptographic Usage Mask', key.usageMask),
    attr('State', key.state),
    attr('Initial Date', key.initialDate),
  ];
}

function matches(key: StoredKey, filter: Attribute): boolean {
  switch (filter.name) {
    case 'Object Type':
      return filter.value === 'SymmetricKey';
    case 'Name':
      return key.names.includes(filter.value.value);
    case 'State':
      return key.state === filter.value;
    case 'Cryptographic Algorithm':
      return key.algorithm === filter.value;
    case 'Cryptographic Length':
      return key.length === filter.value;
    case 'Cryptographic Usage Mask':
      return (key.usageMask & filter.value) === filter.value;
    case 'Unique Identifier':
      return key.uniqueIdentifier === filter.value;
    default:
      // PyKMIP skips a filter on an attribute the object does not have.
      return true;
  }
}

type Handlers = { [K in SupportedOperation]: (p: RequestPayloads[K], ctx: KmsContext, state: BatchState) => ResponsePayloads[K] };

interface BatchState {
  /** The ID placeholder (spec 3.1.1): the last object created in this batch, used by items that name none. */
  placeholder?: string;
}

const handlers: Handlers = {
  DiscoverVersions: (p) => ({
    protocolVersions:
      p.protocolVersions.length === 0
        ? SUPPORTED_VERSIONS
        : p.protocolVersions.filter((v) => SUPPORTED_VERSIONS.some((s) => s.major === v.major && s.minor === v.minor)),
  }),

  Query: (p, ctx) => ({
    operations: p.queryFunctions.includes('QueryOperations') ? QUERY_OPERATIONS : [],
    objectTypes: [],
    ...(p.queryFunctions.includes('QueryServerInformation') && { vendorIdentification: ctx.vendorIdentification ?? 'keylab KMS' }),
  }),

  Create: (p, ctx, batch) => {
    if (p.objectType !== 'SymmetricKey') {
      throw new Refusal('InvalidField', `Cannot create a ${p.objectType} object with the Create operation.`);
    }
    const one = <N extends Attribute['name']>(name: N) => p.attributes.find((a) => a.name === name) as Extract<Attribute, { name: N }> | undefined;
    const algorithm = one('Cryptographic Algorithm');
    if (!algorithm) throw new Refusal('InvalidField', 'The cryptographic algorithm must be specified as an attribute.');
    const length = one('Cryptographic Length');
    if (!length) throw new Refusal('InvalidField', 'The cryptographic length must be specified as an attribute.');
    const mask = one('Cryptographic Usage Mask');
    if (!mask) throw new Refusal('InvalidField', 'The cryptographic usage mask must be specified as an attribute.');
    if (algorithm.value !== 'AES') {
      throw new Refusal('InvalidField', `The cryptographic algorithm ${algorithm.value} is not a supported symmetric key algorithm.`);
    }
    if (!AES_LENGTHS.includes(length.value)) {
      throw new Refusal('InvalidField', `The cryptographic length (${length.value}) is not valid for the cryptographic algorithm (AES).`);
    }
    const key: StoredKey = {
      uniqueIdentifier: ctx.store.newIdentifier(),
      state: 'PreActive',
      algorithm: 'AES',
      length: length.value,
      usageMask: mask.value,
      names: p.attributes.flatMap((a) => (a.name === 'Name' ? [a.value.value] : [])),
      material: ctx.randomBytes(length.value / 8),
      initialDate: ctx.now(),
    };
    ctx.store.put(key);
    batch.placeholder = key.uniqueIdentifier;
    return { objectType: 'SymmetricKey', uniqueIdentifier: key.uniqueIdentifier };
  },

  Activate: (p, ctx, batch) => {
    const key = findKey(ctx, p.uniqueIdentifier, batch.placeholder);
    if (key.state !== 'PreActive') throw new Refusal('PermissionDenied', 'The object state is not pre-active and cannot be activated.');
    ctx.store.put({ ...key, state: 'Active', activationDate: ctx.now() });
    return { uniqueIdentifier: key.uniqueIdentifier };
  },

  Get: (p, ctx, batch) => {
    const key = findKey(ctx, p.uniqueIdentifier, batch.placeholder);
    if (p.keyFormatType && p.keyFormatType !== 'Raw') {
      throw new Refusal('KeyFormatTypeNotSupported', `Key format conversion from RAW to ${p.keyFormatType} is unsupported.`);
    }
    if (!key.material) throw new Refusal('ItemNotFound', `Could not locate object: ${key.uniqueIdentifier}`);
    const objectType: ObjectTypeName = 'SymmetricKey';
    return {
      objectType,
      uniqueIdentifier: key.uniqueIdentifier,
      symmetricKey: { keyFormatType: 'Raw', keyMaterial: key.material, cryptographicAlgorithm: key.algorithm, cryptographicLength: key.length },
    };
  },

  GetAttributes: (p, ctx, batch) => {
    const key = findKey(ctx, p.uniqueIdentifier, batch.placeholder);
    const all = keyAttributes(key);
    const wanted = p.attributeNames.length === 0 ? all : all.filter((a) => p.attributeNames.includes(a.name));
    return { uniqueIdentifier: key.uniqueIdentifier, attributes: wanted };
  },

  Locate: (p, ctx) => {
    const found = ctx.store
      .list()
      .filter((k) => k.state !== 'Destroyed' && k.state !== 'DestroyedCompromised')
      .filter((k) => p.attributes.every((a) => matches(k, a)))
      // Newest first, as PyKMIP sorts by Initial Date; a stable sort keeps creation order among equals.
      .sort((a, b) => b.initialDate - a.initialDate);
    const limited = p.maximumItems === undefined ? found : found.slice(0, p.maximumItems);
    return { uniqueIdentifiers: limited.map((k) => k.uniqueIdentifier) };
  },

  Revoke: (p, ctx, batch) => {
    const key = findKey(ctx, p.uniqueIdentifier, batch.placeholder);
    if (p.revocationReason.code === 'KeyCompromise') {
      ctx.store.put({ ...key, state: 'Compromised', compromiseDate: ctx.now() });
    } else {
      if (key.state !== 'Active') {
        throw new Refusal('IllegalOperation', 'The object is not active and cannot be revoked with reason other than KEY_COMPROMISE');
      }
      ctx.store.put({ ...key, state: 'Deactivated', deactivationDate: ctx.now() });
    }
    return { uniqueIdentifier: key.uniqueIdentifier };
  },

  Destroy: (p, ctx, batch) => {
    const key = findKey(ctx, p.uniqueIdentifier, batch.placeholder);
    if (key.state === 'Active') throw new Refusal('PermissionDenied', 'Object is active and cannot be destroyed.');
    const { material: _wiped, ...rest } = key;
    void _wiped;
    ctx.store.put({ ...rest, state: key.state === 'Compromised' ? 'DestroyedCompromised' : 'Destroyed', destroyDate: ctx.now() });
    return { uniqueIdentifier: key.uniqueIdentifier };
  },
};

function handleItem(item: RequestBatchItem, ctx: KmsContext, batch: BatchState): ResponseBatchItem {
  const common = item.uniqueBatchItemId ? { uniqueBatchItemId: item.uniqueBatchItemId } : {};
  if (item.payload === undefined) {
    return { ...common, ...failure('OperationNotSupported', `${item.operation} operation is not supported by the server.`, item.operation) };
  }
  try {
    const handler = handlers[item.operation] as (p: typeof item.payload, c: KmsContext, b: BatchState) => ResponsePayloads[SupportedOperation];
    const payload = handler(item.payload, ctx, batch);
    return { ...common, operation: item.operation, resultStatus: 'Success', payload } as ResponseBatchItem;
  } catch (e) {
    if (e instanceof Refusal) return { ...common, ...failure(e.reason, e.message, item.operation) };
    throw e;
  }
}

/** Why a whole request is refused before any batch item runs (PyKMIP answers these with Invalid Message). */
function headerProblem(request: RequestMessage, now: number): string | undefined {
  const v = request.protocolVersion;
  if (!SUPPORTED_VERSIONS.some((s) => s.major === v.major && s.minor === v.minor)) return `KMIP ${v.major}.${v.minor} is not supported by the server.`;
  if (request.timeStamp !== undefined) {
    if (request.timeStamp > now) return 'Future request rejected by server.';
    if (now - request.timeStamp >= 60) return 'Stale request rejected by server.';
  }
  if (request.batchItems.length > 1 && request.batchItems.some((i) => !i.uniqueBatchItemId)) return 'Batch item ID is undefined.';
  return undefined;
}

export function handleRequestMessage(request: RequestMessage, ctx: KmsContext): ResponseMessage {
  const now = ctx.now();
  const problem = headerProblem(request, now);
  const version = SUPPORTED_VERSIONS.find((s) => s.major === request.protocolVersion.major && s.minor === request.protocolVersion.minor) ?? KMIP_1_1;
  if (problem) return { protocolVersion: version, timeStamp: now, batchItems: [failure('InvalidMessage', problem)] };
  const batch: BatchState = {};
  const items: ResponseBatchItem[] = [];
  for (const item of request.batchItems) {
    const answer = handleItem(item, ctx, batch);
    items.push(answer);
    // Batch Error Continuation Option defaults to Stop: the items after a failure are not run.
    if (answer.resultStatus !== 'Success') break;
  }
  return { protocolVersion: version, timeStamp: now, batchItems: items };
}

/** The wire entry point: whatever the bytes, a response comes back, an unreadable message answered as PyKMIP does. */
export function handleRequest(bytes: Uint8Array, ctx: KmsContext): Uint8Array {
  const decoded = decodeRequest(bytes);
  if (!decoded.ok) {
    const error: KmipError = decoded.error;
    return encodeResponse({ protocolVersion: KMIP_1_1, timeStamp: ctx.now(), batchItems: [failure('InvalidMessage', error.message)] });
  }
  return encodeResponse(handleRequestMessage(decoded.value, ctx));
}
