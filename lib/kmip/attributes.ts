// KMIP attributes as the lab uses them (spec 3): an Attribute is a name, an optional index and a value whose type
// the name decides. The table below is the single place that says which type each attribute's value has.
import { KmipError } from './errors';
import { CryptographicAlgorithm, NameType, ObjectType, State, type CryptographicAlgorithmName, type NameTypeName, type ObjectTypeName, type StateName } from './enums';
import { Fields } from './fields';
import { Tag } from './tags';
import { ttlv, type TtlvNode } from './ttlv-node';

export interface AttributeValues {
  'Unique Identifier': string;
  Name: { value: string; type: NameTypeName };
  'Object Type': ObjectTypeName;
  'Cryptographic Algorithm': CryptographicAlgorithmName;
  'Cryptographic Length': number;
  'Cryptographic Usage Mask': number;
  'Operation Policy Name': string;
  State: StateName;
  'Initial Date': number;
  'Activation Date': number;
  'Process Start Date': number;
  'Protect Stop Date': number;
  'Deactivation Date': number;
  'Destroy Date': number;
  'Compromise Occurrence Date': number;
  'Compromise Date': number;
  'Last Change Date': number;
  'Object Group': string;
}

export type AttributeName = keyof AttributeValues;

export type Attribute = {
  [K in AttributeName]: { name: K; index?: number; value: AttributeValues[K] };
}[AttributeName];

type Kind = 'text' | 'integer' | 'date' | 'name' | 'objectType' | 'algorithm' | 'state';

const KINDS: Record<AttributeName, Kind> = {
  'Unique Identifier': 'text',
  Name: 'name',
  'Object Type': 'objectType',
  'Cryptographic Algorithm': 'algorithm',
  'Cryptographic Length': 'integer',
  'Cryptographic Usage Mask': 'integer',
  'Operation Policy Name': 'text',
  State: 'state',
  'Initial Date': 'date',
  'Activation Date': 'date',
  'Process Start Date': 'date',
  'Protect Stop Date': 'date',
  'Deactivation Date': 'date',
  'Destroy Date': 'date',
  'Compromise Occurrence Date': 'date',
  'Compromise Date': 'date',
  'Last Change Date': 'date',
  'Object Group': 'text',
};

export const ATTRIBUTE_NAMES = Object.keys(KINDS) as AttributeName[];

export function isAttributeName(name: string): name is AttributeName {
  return Object.hasOwn(KINDS, name);
}

/** Builds an attribute with its value typed by its name: `attr('Cryptographic Length', 256)`. */
export function attr<K extends AttributeName>(name: K, value: AttributeValues[K], index?: number): Attribute {
  return (index === undefined ? { name, value } : { name, index, value }) as Attribute;
}

function valueNode(a: Attribute): TtlvNode {
  const v = Tag.AttributeValue;
  switch (KINDS[a.name]) {
    case 'text':
      return ttlv.text(v, a.value as string);
    case 'integer':
      return ttlv.int(v, a.value as number);
    case 'date':
      return ttlv.date(v, a.value as number);
    case 'objectType':
      return ttlv.enumeration(v, ObjectType.code(a.value as ObjectTypeName));
    case 'algorithm':
      return ttlv.enumeration(v, CryptographicAlgorithm.code(a.value as CryptographicAlgorithmName));
    case 'state':
      return ttlv.enumeration(v, State.code(a.value as StateName));
    case 'name': {
      const n = a.value as AttributeValues['Name'];
      return ttlv.struct(v, [ttlv.text(Tag.NameValue, n.value), ttlv.enumeration(Tag.NameType, NameType.code(n.type))]);
    }
  }
}

export function encodeAttribute(a: Attribute): TtlvNode {
  const children = [ttlv.text(Tag.AttributeName, a.name)];
  if (a.index !== undefined) children.push(ttlv.int(Tag.AttributeIndex, a.index));
  children.push(valueNode(a));
  return ttlv.struct(Tag.Attribute, children);
}

const EXPECTED_TYPE: Record<Kind, TtlvNode['type']> = {
  text: 'TextString',
  integer: 'Integer',
  date: 'DateTime',
  name: 'Structure',
  objectType: 'Enumeration',
  algorithm: 'Enumeration',
  state: 'Enumeration',
};

export function decodeAttribute(node: TtlvNode, parentPath: string): Attribute {
  const f = Fields.of(node, 'Attribute', parentPath);
  const name = f.text('AttributeName');
  const index = f.optInt('AttributeIndex');
  const valueNode = f.one('AttributeValue');
  f.done();
  if (!isAttributeName(name)) throw new KmipError('BAD_VALUE', `The attribute '${name}' in ${parentPath} is not one this lab knows`);
  const kind = KINDS[name];
  if (valueNode.type !== EXPECTED_TYPE[kind]) {
    throw new KmipError('WRONG_TYPE', `The value of attribute '${name}' must be a ${EXPECTED_TYPE[kind]}, not a ${valueNode.type}`);
  }
  let value: unknown;
  switch (kind) {
    case 'objectType':
      value = ObjectType.nameOf(valueNode.value as number);
      break;
    case 'algorithm':
      value = CryptographicAlgorithm.nameOf(valueNode.value as number);
      break;
    case 'state':
      value = State.nameOf(valueNode.value as number);
      break;
    case 'name': {
      const n = new Fields(valueNode, `${f.path} › Name`);
      value = { value: n.text('NameValue'), type: n.enumeration('NameType', NameType) };
      n.done();
      break;
    }
    default:
      value = valueNode.value;
  }
  return (index === undefined ? { name, value } : { name, index, value }) as Attribute;
}
