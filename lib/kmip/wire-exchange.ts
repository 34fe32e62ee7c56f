// One request/response exchange as a wire view lists it (time, node, operation, result, unique identifier) and the
// export a learner can take to another KMIP tool: JSON with the raw TTLV as hex, Key Material zeroed unless asked.
import { decodeTtlv } from './ttlv-decode';
import { encodeTtlv } from './ttlv-encode';
import { decodeRequest, decodeResponse } from './messages';
import { Tag } from './tags';
import type { TtlvNode } from './ttlv-node';

export interface WireExchange {
  /** Lab time of the request, ms since the epoch. */
  at: number;
  node: string;
  request: Uint8Array;
  /** Absent while the node has not answered (a hung node never does). */
  response?: Uint8Array;
}

export interface ExchangeSummary {
  operation: string;
  result: string;
  uniqueIdentifier?: string;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** What the list shows for an exchange; bytes that do not decode are summarised as such, never thrown. */
export function summarizeExchange(exchange: WireExchange): ExchangeSummary {
  const request = decodeRequest(exchange.request);
  const first = request.ok ? request.value.batchItems[0] : undefined;
  const operation = request.ok ? request.value.batchItems.map((i) => i.operation).join(' + ') : 'unreadable request';
  let uniqueIdentifier = first?.payload && 'uniqueIdentifier' in first.payload ? first.payload.uniqueIdentifier : undefined;
  if (!exchange.response) return { operation, result: 'no answer', ...(uniqueIdentifier && { uniqueIdentifier }) };
  const response = decodeResponse(exchange.response);
  if (!response.ok) return { operation, result: `unreadable response: ${response.error.message}`, ...(uniqueIdentifier && { uniqueIdentifier }) };
  const item = response.value.batchItems[0]!;
  if (!uniqueIdentifier && item.payload && 'uniqueIdentifier' in item.payload) uniqueIdentifier = item.payload.uniqueIdentifier;
  const result = item.resultStatus === 'Success' ? 'Success' : `${item.resultStatus}: ${item.resultReason ?? 'no reason'}`;
  return { operation, result, ...(uniqueIdentifier && { uniqueIdentifier }) };
}

function zeroKeyMaterial(node: TtlvNode): TtlvNode {
  if (node.type === 'Structure') return { ...node, value: node.value.map(zeroKeyMaterial) };
  if (node.tag === Tag.KeyMaterial && node.type === 'ByteString') return { ...node, value: new Uint8Array(node.value.length) };
  return node;
}

/** Key Material zeroed in place (same length, so the bytes still decode); bytes that do not decode are kept as they are. */
export function maskKeyMaterial(bytes: Uint8Array): Uint8Array {
  const tree = decodeTtlv(bytes);
  return tree.ok ? encodeTtlv(zeroKeyMaterial(tree.value)) : bytes;
}

export function exportExchanges(exchanges: WireExchange[], options: { revealKeyMaterial?: boolean } = {}): string {
  const shown = (b: Uint8Array) => hex(options.revealKeyMaterial ? b : maskKeyMaterial(b));
  return JSON.stringify(
    {
      format: 'keylab KMIP exchanges v1',
      protocol: 'KMIP 1.1 TTLV, hex',
      keyMaterial: options.revealKeyMaterial ? 'included' : 'zeroed',
      exchanges: exchanges.map((e) => ({
        time: new Date(e.at).toISOString(),
        node: e.node,
        ...summarizeExchange(e),
        requestHex: shown(e.request),
        ...(e.response && { responseHex: shown(e.response) }),
      })),
    },
    null,
    2,
  );
}
