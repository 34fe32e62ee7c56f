// The decoded tree as rows for a wire view: depth, tag, type and a readable value (enumerations by name, dates in
// UTC, bytes in hex), with Key Material masked unless the learner asks to see it.
import {
  BatchErrorContinuationOption,
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
  type KmipEnum,
} from './enums';
import { ITEM_TYPE_LABELS } from './item-type';
import { Tag, tagLabel } from './tags';
import type { TtlvNode } from './ttlv-node';

export interface WireRow {
  depth: number;
  tag: number;
  tagLabel: string;
  typeLabel: string;
  /** Empty for a structure, whose rows follow. */
  value: string;
  masked: boolean;
}

const ENUM_BY_TAG = new Map<number, KmipEnum<string>>([
  [Tag.Operation, Operation],
  [Tag.ResultStatus, ResultStatus],
  [Tag.ResultReason, ResultReason],
  [Tag.ObjectType, ObjectType],
  [Tag.CryptographicAlgorithm, CryptographicAlgorithm],
  [Tag.State, State],
  [Tag.KeyFormatType, KeyFormatType],
  [Tag.NameType, NameType],
  [Tag.QueryFunction, QueryFunction],
  [Tag.RevocationReasonCode, RevocationReasonCode],
  [Tag.BatchErrorContinuationOption, BatchErrorContinuationOption],
]);

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function valueText(node: TtlvNode): string {
  switch (node.type) {
    case 'Structure':
      return '';
    case 'Enumeration': {
      const e = ENUM_BY_TAG.get(node.tag);
      const code = `0x${node.value.toString(16).padStart(8, '0')}`;
      try {
        return e ? `${e.nameOf(node.value)} (${code})` : code;
      } catch {
        return code;
      }
    }
    case 'DateTime':
      return `${new Date(node.value * 1000).toISOString().replace('.000Z', 'Z')} (${node.value})`;
    case 'ByteString':
      return hex(node.value);
    case 'TextString':
      return JSON.stringify(node.value);
    case 'Interval':
      return `${node.value} s`;
    default:
      return String(node.value);
  }
}

export function wireRows(root: TtlvNode, options: { revealKeyMaterial?: boolean } = {}): WireRow[] {
  const rows: WireRow[] = [];
  const visit = (node: TtlvNode, depth: number) => {
    const masked = node.tag === Tag.KeyMaterial && !options.revealKeyMaterial;
    rows.push({
      depth,
      tag: node.tag,
      tagLabel: tagLabel(node.tag),
      typeLabel: ITEM_TYPE_LABELS[node.type],
      value: masked && node.type === 'ByteString' ? `•••• ${node.value.length} bytes, hidden` : valueText(node),
      masked,
    });
    if (node.type === 'Structure') for (const child of node.value) visit(child, depth + 1);
  };
  visit(root, 0);
  return rows;
}
