// Turns LabView into the key map's picture: lanes per kind of place, the objects in each, and the wrap tree.
// Pure functions of the view, so the picture and its table alternative always say the same thing.
import type { KeyLocation, LabView } from '@/machines/lab-types';

export type PlaceKind = KeyLocation['places'][number]['kind'];
export type KeyForm = KeyLocation['places'][number]['form'];
export type KeyLevel = KeyLocation['level'];

export interface LaneInfo {
  kind: PlaceKind;
  title: string;
  /** What this kind of place keeps, in a few words. */
  blurb: string;
}

export const LANES: LaneInfo[] = [
  { kind: 'kms', title: 'KMS nodes', blurb: 'KMIP servers hold the keys themselves' },
  { kind: 'vcenter-db', title: 'vCenter database', blurb: 'key IDs for standard providers; the KDK for NKP' },
  { kind: 'host-ram', title: 'Host RAM', blurb: 'usable keys; gone on reboot' },
  { kind: 'host-config', title: 'Host configuration', blurb: 'encrypted on the boot disk; survives reboots' },
  { kind: 'vm-files', title: 'VM files', blurb: 'on the datastore; keys only wrapped' },
  { kind: 'backup-file', title: 'NKP backup (.p12)', blurb: 'password-protected file you downloaded' },
];

export const FORM_LABEL: Record<KeyForm, string> = {
  plain: 'plain key',
  wrapped: 'wrapped',
  'key-id': 'ID only',
};

/**
 * A key with no fingerprint in the view: no place the lab shows holds it in plain form (only wrapped, or its ID), so
 * nobody could hash it here. Said in words rather than shown as an empty "fp".
 */
export const NO_PLAIN_COPY = 'no plain copy';
export const NO_PLAIN_COPY_WHY =
  'No fingerprint: no place shown holds this key in plain form (only wrapped or by its ID), so it cannot be hashed here.';

export const LEVEL_LABEL: Record<KeyLevel, string> = {
  KDK: 'key derivation key (NKP master key)',
  KEK: 'key encryption key',
  DEK: 'data encryption key',
};

export interface PlacedKey {
  key: KeyLocation;
  form: KeyForm;
}

export interface LaneObject {
  objectId: string;
  name: string;
  /** A short state worth knowing (e.g. "down", "powered off"), or null. */
  note: string | null;
  keys: PlacedKey[];
  /** Why it holds nothing, shown when keys is empty. */
  emptyText: string;
}

export interface Lane extends LaneInfo {
  objects: LaneObject[];
  /** Shown when the lane has no objects at all. */
  emptyText: string;
}

const LEVEL_ORDER: Record<KeyLevel, number> = { KDK: 0, KEK: 1, DEK: 2 };

export function shortId(keyId: string): string {
  return keyId.length > 8 ? `${keyId.slice(0, 8)}…` : keyId;
}

export function shortFingerprint(fp: string): string {
  return fp.length > 11 ? `${fp.slice(0, 11)}…` : fp;
}

/** Every object's display name, whatever kind it is. */
export function objectNames(view: LabView): Map<string, string> {
  const names = new Map<string, string>();
  for (const k of view.kmsNodes) names.set(k.id, k.name);
  for (const h of view.hosts) names.set(h.id, h.name);
  for (const v of view.vms) names.set(v.id, v.name);
  for (const d of view.datastores) names.set(d.id, d.name);
  if (view.vcenter) {
    names.set(view.vcenter.id, view.vcenter.name);
    for (const p of view.vcenter.keyProviders) names.set(p.id, p.name);
  }
  return names;
}

function sortKeys(keys: PlacedKey[]): PlacedKey[] {
  return [...keys].sort(
    (a, b) => LEVEL_ORDER[a.key.level] - LEVEL_ORDER[b.key.level] || a.key.keyId.localeCompare(b.key.keyId),
  );
}

/** kind → objectId → keys kept there. */
function indexPlaces(keyMap: KeyLocation[]): Map<PlaceKind, Map<string, PlacedKey[]>> {
  const index = new Map<PlaceKind, Map<string, PlacedKey[]>>();
  for (const key of keyMap) {
    for (const place of key.places) {
      let byObject = index.get(place.kind);
      if (!byObject) index.set(place.kind, (byObject = new Map()));
      const list = byObject.get(place.objectId) ?? [];
      list.push({ key, form: place.form });
      byObject.set(place.objectId, list);
    }
  }
  return index;
}

interface ObjectSeed {
  objectId: string;
  name: string;
  note: string | null;
  emptyText: string;
}

function seedsFor(kind: PlaceKind, view: LabView): ObjectSeed[] {
  switch (kind) {
    case 'kms':
      return view.kmsNodes.map((k) => ({
        objectId: k.id,
        name: k.name,
        note: k.status === 'up' ? null : k.status === 'down' ? 'down' : 'hung',
        emptyText: 'No keys created here yet.',
      }));
    case 'vcenter-db':
      return view.vcenter
        ? [{ objectId: view.vcenter.id, name: view.vcenter.name, note: null, emptyText: 'Key database empty.' }]
        : [];
    case 'host-ram':
      return view.hosts.map((h) => ({
        objectId: h.id,
        name: h.name,
        note: h.power === 'off' ? 'powered off' : h.connection !== 'connected' ? h.connection : null,
        emptyText: h.power === 'off' ? 'Powered off: RAM is empty.' : 'No keys in memory.',
      }));
    case 'host-config':
      return view.hosts.map((h) => ({
        objectId: h.id,
        name: h.name,
        note: h.configuration.locked ? 'locked: awaiting recovery key' : h.configuration.protection === 'tpm' ? 'key sealed by TPM' : 'key on boot disk',
        emptyText: 'No key provider keys in its configuration.',
      }));
    case 'vm-files':
      return view.vms.map((v) => ({
        objectId: v.id,
        name: v.name,
        note: v.registered ? null : 'not registered',
        emptyText: 'Not encrypted: no keys in its files.',
      }));
    case 'backup-file':
      return [];
  }
}

function laneEmptyText(kind: PlaceKind, view: LabView): string {
  switch (kind) {
    case 'kms':
      return 'No KMS nodes in this lab.';
    case 'vcenter-db':
      return 'vCenter is gone: its key database went with it.';
    case 'host-ram':
    case 'host-config':
      return 'No ESXi hosts.';
    case 'vm-files':
      return view.vms.length === 0 ? 'No VMs on any datastore.' : '';
    case 'backup-file':
      return 'No NKP backup made yet: back up a Native Key Provider to get one.';
  }
}

/**
 * Lanes with their objects: every object the view knows (so empty ones can say why),
 * plus any object a key names that the view does not (kept, by its ID, rather than hidden).
 */
export function buildLanes(view: LabView): Lane[] {
  const index = indexPlaces(view.keyMap);
  const names = objectNames(view);
  return LANES.map((info) => {
    const placed = index.get(info.kind) ?? new Map<string, PlacedKey[]>();
    const seeds = seedsFor(info.kind, view);
    const known = new Set(seeds.map((s) => s.objectId));
    const objects: LaneObject[] = seeds.map((s) => ({ ...s, keys: sortKeys(placed.get(s.objectId) ?? []) }));
    for (const [objectId, keys] of placed) {
      if (known.has(objectId)) continue;
      objects.push({
        objectId,
        name: names.get(objectId) ?? objectId,
        note: info.kind === 'vcenter-db' && !view.vcenter ? (view.vcenterStatus === 'stopped' ? 'down' : 'destroyed') : null,
        keys: sortKeys(keys),
        emptyText: '',
      });
    }
    return { ...info, objects, emptyText: laneEmptyText(info.kind, view) };
  });
}

export interface KeyTreeNode {
  key: KeyLocation;
  children: KeyTreeNode[];
}

/** The wrap hierarchy: KDK → the KEKs it wraps → the DEKs they wrap. Keys whose wrapper is unknown are roots. */
export function buildKeyTree(keyMap: KeyLocation[]): KeyTreeNode[] {
  const nodes = new Map<string, KeyTreeNode>();
  for (const key of keyMap) nodes.set(key.keyId, { key, children: [] });
  const roots: KeyTreeNode[] = [];
  for (const node of nodes.values()) {
    // An NKP KEK hangs under the KDK it is derived from (nothing wraps it).
    const parentId = node.key.wrappedBy ?? node.key.derivedFrom ?? null;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const order = (list: KeyTreeNode[]) => {
    list.sort(
      (a, b) => LEVEL_ORDER[a.key.level] - LEVEL_ORDER[b.key.level] || a.key.keyId.localeCompare(b.key.keyId),
    );
    for (const n of list) order(n.children);
  };
  order(roots);
  return roots;
}

/** Where a place is, in words: "RAM of host esx-01". */
export function placeName(kind: PlaceKind, objectId: string, names: Map<string, string>): string {
  const name = names.get(objectId) ?? objectId;
  switch (kind) {
    case 'kms':
      return `KMS node ${name}`;
    case 'vcenter-db':
      return `vCenter database (${name})`;
    case 'host-ram':
      return `RAM of host ${name}`;
    case 'host-config':
      return `encrypted configuration of host ${name}`;
    case 'vm-files':
      return `files of VM ${name}`;
    case 'backup-file':
      return `NKP backup file of ${name}`;
  }
}

/** One line per place, for screen readers and the table: "RAM of host esx-01 (plain key)". */
export function describePlace(place: KeyLocation['places'][number], names: Map<string, string>): string {
  return `${placeName(place.kind, place.objectId, names)} (${FORM_LABEL[place.form]})`;
}
