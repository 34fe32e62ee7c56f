// Reading a decoded Structure as a record: each field taken once by tag, required or optional or repeated, and any
// field left over refused, so a model is built only from messages whose every part had a place.
import { KmipError } from './errors';
import type { KmipEnum } from './enums';
import { TAGS, tagLabel, type TagName } from './tags';
import type { TtlvNode } from './ttlv-node';

type NodeOf<T extends TtlvNode['type']> = Extract<TtlvNode, { type: T }>;

export class Fields {
  private readonly taken = new Set<TtlvNode>();
  private readonly byTag = new Map<number, TtlvNode[]>();
  readonly children: readonly TtlvNode[];

  constructor(
    node: TtlvNode,
    readonly path: string,
  ) {
    if (node.type !== 'Structure') throw new KmipError('WRONG_TYPE', `${path} must be a Structure`);
    this.children = node.value;
    for (const child of node.value) {
      const list = this.byTag.get(child.tag);
      if (list) list.push(child);
      else this.byTag.set(child.tag, [child]);
    }
  }

  /** Opens a child structure as Fields of its own. */
  static of(node: TtlvNode, expected: TagName, parentPath = ''): Fields {
    const label = TAGS[expected].label;
    if (node.tag !== TAGS[expected].code) {
      throw new KmipError('UNEXPECTED_FIELD', `Expected ${label}${parentPath ? ` in ${parentPath}` : ''}, found ${tagLabel(node.tag)}`);
    }
    return new Fields(node, parentPath ? `${parentPath} › ${label}` : label);
  }

  many(name: TagName): TtlvNode[] {
    const found = this.byTag.get(TAGS[name].code) ?? [];
    for (const f of found) this.taken.add(f);
    return found;
  }

  opt(name: TagName): TtlvNode | undefined {
    const found = this.many(name);
    if (found.length > 1) throw new KmipError('UNEXPECTED_FIELD', `${this.path} holds ${TAGS[name].label} ${found.length} times; it takes one`);
    return found[0];
  }

  one(name: TagName): TtlvNode {
    const found = this.opt(name);
    if (!found) throw new KmipError('MISSING_FIELD', `${this.path} has no ${TAGS[name].label}`);
    return found;
  }

  struct(name: TagName): Fields {
    return Fields.of(this.one(name), name, this.path);
  }

  optStruct(name: TagName): Fields | undefined {
    const node = this.opt(name);
    return node && Fields.of(node, name, this.path);
  }

  // The tree decoder already checked each known tag's type, so these casts only narrow what is known.
  text(name: TagName): string {
    return (this.one(name) as NodeOf<'TextString'>).value;
  }
  optText(name: TagName): string | undefined {
    return (this.opt(name) as NodeOf<'TextString'> | undefined)?.value;
  }
  int(name: TagName): number {
    return (this.one(name) as NodeOf<'Integer'>).value;
  }
  optInt(name: TagName): number | undefined {
    return (this.opt(name) as NodeOf<'Integer'> | undefined)?.value;
  }
  date(name: TagName): number {
    return (this.one(name) as NodeOf<'DateTime'>).value;
  }
  optDate(name: TagName): number | undefined {
    return (this.opt(name) as NodeOf<'DateTime'> | undefined)?.value;
  }
  bytes(name: TagName): Uint8Array {
    return (this.one(name) as NodeOf<'ByteString'>).value;
  }
  optBytes(name: TagName): Uint8Array | undefined {
    return (this.opt(name) as NodeOf<'ByteString'> | undefined)?.value;
  }
  optBool(name: TagName): boolean | undefined {
    return (this.opt(name) as NodeOf<'Boolean'> | undefined)?.value;
  }
  enumeration<N extends string>(name: TagName, e: KmipEnum<N>): N {
    return e.nameOf((this.one(name) as NodeOf<'Enumeration'>).value);
  }
  optEnumeration<N extends string>(name: TagName, e: KmipEnum<N>): N | undefined {
    const node = this.opt(name) as NodeOf<'Enumeration'> | undefined;
    return node && e.nameOf(node.value);
  }
  enumerations<N extends string>(name: TagName, e: KmipEnum<N>): N[] {
    return this.many(name).map((n) => e.nameOf((n as NodeOf<'Enumeration'>).value));
  }

  /** Every field must have been read: a leftover one has no place in this structure. */
  done(): void {
    if (this.taken.size === this.children.length) return;
    for (const child of this.children) {
      if (!this.taken.has(child)) throw new KmipError('UNEXPECTED_FIELD', `${tagLabel(child.tag)} has no place in ${this.path}`);
    }
  }
}
