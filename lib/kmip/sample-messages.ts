// A catalog of messages: one request and one or more responses (successes and failures) for each operation the lab speaks, as the typed
// model: the interop tests encode them with the lab's codec and with PyKMIP's and compare what each side reads.
import { attr } from './attributes';
import { UsageMask } from './enums';
import { KMIP_1_1, type RequestBatchItem, type RequestMessage, type ResponseBatchItem, type ResponseMessage } from './messages';

const T = 1_765_000_000; // a fixed time stamp: messages compared field by field must not depend on the clock
const UID = '1f6c1b2e-8a0e-4c59-9d1a-6f0b5d6c2a10';
const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

export const AES_256_KEK_ATTRIBUTES = [
  attr('Cryptographic Algorithm', 'AES'),
  attr('Cryptographic Length', 256),
  attr('Cryptographic Usage Mask', UsageMask.Encrypt | UsageMask.Decrypt | UsageMask.WrapKey | UsageMask.UnwrapKey),
  attr('Name', { value: 'vm-db-01 KEK', type: 'UninterpretedTextString' }),
];

const request = (label: string, ...batchItems: RequestBatchItem[]): [string, RequestMessage] => [
  label,
  { protocolVersion: KMIP_1_1, timeStamp: T, batchItems },
];

export const SAMPLE_REQUESTS: [string, RequestMessage][] = [
  request('Discover Versions', { operation: 'DiscoverVersions', payload: { protocolVersions: [KMIP_1_1, { major: 1, minor: 0 }] } }),
  request('Query', { operation: 'Query', payload: { queryFunctions: ['QueryOperations', 'QueryObjects', 'QueryServerInformation'] } }),
  request('Create', { operation: 'Create', payload: { objectType: 'SymmetricKey', attributes: AES_256_KEK_ATTRIBUTES } }),
  request('Activate', { operation: 'Activate', payload: { uniqueIdentifier: UID } }),
  request('Get', { operation: 'Get', payload: { uniqueIdentifier: UID } }),
  request('Get (Raw)', { operation: 'Get', payload: { uniqueIdentifier: UID, keyFormatType: 'Raw' } }),
  request('Get Attributes', { operation: 'GetAttributes', payload: { uniqueIdentifier: UID, attributeNames: ['State', 'Cryptographic Algorithm'] } }),
  request('Locate', {
    operation: 'Locate',
    payload: { maximumItems: 2, attributes: [attr('Object Type', 'SymmetricKey'), attr('Name', { value: 'vm-db-01 KEK', type: 'UninterpretedTextString' })] },
  }),
  request('Revoke', { operation: 'Revoke', payload: { uniqueIdentifier: UID, revocationReason: { code: 'CessationOfOperation', message: 'VM decommissioned' } } }),
  request('Revoke (compromise)', {
    operation: 'Revoke',
    payload: { uniqueIdentifier: UID, revocationReason: { code: 'KeyCompromise' }, compromiseOccurrenceDate: T - 3600 },
  }),
  request('Destroy', { operation: 'Destroy', payload: { uniqueIdentifier: UID } }),
  request(
    'Batch of two',
    // Not Create + Activate with the ID placeholder (no Unique Identifier): PyKMIP 0.10 cannot read an Activate
    // payload without one, though the specification allows it.
    { operation: 'GetAttributes', uniqueBatchItemId: Uint8Array.of(1), payload: { uniqueIdentifier: UID, attributeNames: ['State'] } },
    { operation: 'Get', uniqueBatchItemId: Uint8Array.of(2), payload: { uniqueIdentifier: UID } },
  ),
];

const response = (label: string, ...batchItems: ResponseBatchItem[]): [string, ResponseMessage] => [
  label,
  { protocolVersion: KMIP_1_1, timeStamp: T, batchItems },
];

export const SAMPLE_RESPONSES: [string, ResponseMessage][] = [
  response('Discover Versions', { operation: 'DiscoverVersions', resultStatus: 'Success', payload: { protocolVersions: [KMIP_1_1, { major: 1, minor: 0 }] } }),
  response('Query', {
    operation: 'Query',
    resultStatus: 'Success',
    payload: {
      operations: ['Create', 'Locate', 'Get', 'GetAttributes', 'Activate', 'Revoke', 'Destroy', 'Query', 'DiscoverVersions'],
      objectTypes: ['SymmetricKey'],
      vendorIdentification: 'keylab KMS',
    },
  }),
  response('Create', { operation: 'Create', resultStatus: 'Success', payload: { objectType: 'SymmetricKey', uniqueIdentifier: UID } }),
  response('Activate', { operation: 'Activate', resultStatus: 'Success', payload: { uniqueIdentifier: UID } }),
  response('Get', {
    operation: 'Get',
    resultStatus: 'Success',
    payload: {
      objectType: 'SymmetricKey',
      uniqueIdentifier: UID,
      symmetricKey: { keyFormatType: 'Raw', keyMaterial: KEY, cryptographicAlgorithm: 'AES', cryptographicLength: 256 },
    },
  }),
  response('Get Attributes', {
    operation: 'GetAttributes',
    resultStatus: 'Success',
    payload: {
      uniqueIdentifier: UID,
      attributes: [
        attr('Unique Identifier', UID),
        attr('Name', { value: 'vm-db-01 KEK', type: 'UninterpretedTextString' }, 0),
        attr('Object Type', 'SymmetricKey'),
        attr('Cryptographic Algorithm', 'AES'),
        attr('Cryptographic Length', 256),
        attr('Cryptographic Usage Mask', UsageMask.Encrypt | UsageMask.Decrypt),
        attr('State', 'Active'),
        attr('Initial Date', T - 60),
        attr('Activation Date', T - 30),
        attr('Operation Policy Name', 'default'),
      ],
    },
  }),
  response('Locate', { operation: 'Locate', resultStatus: 'Success', payload: { uniqueIdentifiers: [UID, '2'] } }),
  response('Revoke', { operation: 'Revoke', resultStatus: 'Success', payload: { uniqueIdentifier: UID } }),
  response('Destroy', { operation: 'Destroy', resultStatus: 'Success', payload: { uniqueIdentifier: UID } }),
  response('Get of a missing key', {
    operation: 'Get',
    resultStatus: 'OperationFailed',
    resultReason: 'ItemNotFound',
    resultMessage: `Could not locate object: ${UID}`,
  }),
  response('Activate of an active key', {
    operation: 'Activate',
    resultStatus: 'OperationFailed',
    resultReason: 'PermissionDenied',
    resultMessage: 'The object state is not pre-active and cannot be activated.',
  }),
  response('Destroy of an active key', {
    operation: 'Destroy',
    resultStatus: 'OperationFailed',
    resultReason: 'PermissionDenied',
    resultMessage: 'Object is active and cannot be destroyed.',
  }),
  response('Unreadable request', { resultStatus: 'OperationFailed', resultReason: 'InvalidMessage', resultMessage: 'Batch Count 2 but 1 batch item' }),
  response(
    'Batch of two',
    { operation: 'Create', uniqueBatchItemId: Uint8Array.of(1), resultStatus: 'Success', payload: { objectType: 'SymmetricKey', uniqueIdentifier: UID } },
    { operation: 'Activate', uniqueBatchItemId: Uint8Array.of(2), resultStatus: 'Success', payload: { uniqueIdentifier: UID } },
  ),
];
