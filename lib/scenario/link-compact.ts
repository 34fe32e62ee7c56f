// A link carries the scenario without what reading it fills in again: fields at their schema default (a VM off, not
// encrypted, no vTPM; a host on; a KMS node up on 5696), and a VM's, KMS node's or datastore's name where it is its id.
// About a seventh off a classroom scenario's compressed size; the round-trip test holds it lossless.
import type { ScenarioV2 } from './scenario-v2';

type Obj = Record<string, unknown>;
const DEFAULTS: Record<'vm' | 'host' | 'kms' | 'provider' | 'step', Obj> = {
  vm: { power: 'off', encryptWith: null, vtpm: false },
  host: { power: 'on' },
  kms: { port: 5696, status: 'up', replicationLagMs: 10_000 },
  provider: { isDefault: false },
  step: {},
};

function strip(item: Obj, defaults: Obj, nameIsId: boolean): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(item)) {
    if (key in defaults && defaults[key] === value) continue;
    if (Array.isArray(value) && value.length === 0 && (key === 'guestFiles' || key === 'hints')) continue;
    if (nameIsId && key === 'name' && value === item.id) continue;
    out[key] = value;
  }
  return out;
}

export function compactForLink(scenario: ScenarioV2): Obj {
  const { world, ...rest } = scenario;
  const out: Obj = { ...rest };
  if (scenario.briefing === '') delete out.briefing;
  if (scenario.prelude.length === 0) delete out.prelude;
  if (scenario.steps) out.steps = scenario.steps.map((s) => strip(s, DEFAULTS.step, false));
  out.world = {
    ...world,
    vms: world.vms.map((v) => strip(v, DEFAULTS.vm, true)),
    hosts: world.hosts.map((h) => strip(h, DEFAULTS.host, false)),
    kmsNodes: world.kmsNodes.map((k) => strip(k, DEFAULTS.kms, true)),
    datastores: world.datastores.map((d) => strip(d, {}, true)),
    standardProviders: world.standardProviders.map((p) => strip(p, DEFAULTS.provider, false)),
  };
  return out;
}

/** Puts back the names a link left out (the schema fills the defaults); anything unexpected is left for it to refuse. */
export function expandFromLink(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const world = (data as Obj).world;
  if (typeof world !== 'object' || world === null) return data;
  const named = (list: unknown) =>
    Array.isArray(list) ? list.map((item) => (item && typeof item === 'object' && !('name' in item) && 'id' in item ? { ...item, name: (item as Obj).id } : item)) : list;
  const w = world as Obj;
  return { ...(data as Obj), world: { ...w, vms: named(w.vms), kmsNodes: named(w.kmsNodes), datastores: named(w.datastores) } };
}
