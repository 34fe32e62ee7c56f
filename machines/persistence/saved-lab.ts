// Reading a saved lab back: JSON text -> explicit migration of older formats -> schema -> parts that must fit together.
// Whatever is wrong is named in the learner's words (which part, what about it), never in a parser's or runtime's.
import type * as z from 'zod/mini';
import { LabOpenError } from './lab-open-error';
import { SAVE_FORMAT, savedLabSchema, type SavedChild, type SavedLab } from './saved-lab-schema';

export { SAVE_FORMAT, type SavedLab };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Format 1 kept the key providers inside vCenter's database (`providers: ProviderRecord[]`); from 6b445d5 each is an
 * actor of its own (`provider:<id>`) and vCenter keeps only their ids. Format 1 saved after that change already has
 * the new shape, so only the old shape is rewritten; either way the result is format 2.
 */
function migrate1to2(saved: Json): Json {
  const root = saved.root;
  const vcenterSnap = isObject(root) && isObject(root.children) && isObject(root.children.vcenter) ? root.children.vcenter.snapshot : undefined;
  const vc = isObject(vcenterSnap) && isObject(vcenterSnap.context) ? vcenterSnap.context : undefined;
  if (!isObject(root) || !isObject(root.children) || !vc || !Array.isArray(vc.providers)) return { ...saved, format: 2 };
  const children: Json = { ...root.children };
  const providers = vc.providers.filter(isObject);
  for (const p of providers) {
    const systemId = `provider:${String(p.id)}`;
    const value = p.kind === 'standard' ? 'standard' : { native: p.backedUp ? 'backedUp' : 'notBackedUp' };
    children[systemId] = {
      src: 'keyProvider',
      systemId,
      syncSnapshot: false,
      snapshot: { status: 'active', value, historyValue: {}, context: p, children: {} },
    };
  }
  // Format 2 keeps providers as actors of their own: vCenter's context names them by id only.
  const context: Json = { ...vc, providerIds: providers.map((p) => String(p.id)) };
  delete context.providers;
  children.vcenter = { ...(root.children.vcenter as Json), snapshot: { ...(vcenterSnap as Json), context } };
  return { ...saved, format: 2, root: { ...root, children } };
}

/** One step per older format, applied in order: a saved lab of format n goes through every step from n on. */
const MIGRATIONS: Record<number, (saved: Json) => Json> = { 1: migrate1to2 };

export function migrateSavedLab(saved: Json): Json {
  let current = saved;
  for (let format = current.format; typeof format === 'number' && format < SAVE_FORMAT; format = current.format) {
    const step = MIGRATIONS[format];
    if (!step) break;
    current = step(current);
  }
  return withHostConfigurations(current);
}

/**
 * Hosts saved before they kept an encrypted configuration had `tpmSealedKeys` (KDKs sealed straight in the TPM) and
 * lost everything else at a reboot. Whatever the format, such a host gets a configuration not yet written, listing
 * those KDKs as still in the TPM; host-config-upgrade.ts writes it for real when the lab opens. (No format step: the
 * shape is recognised by its fields, so it needs no format number of its own.)
 */
function withHostConfigurations(saved: Json): Json {
  const root = saved.root;
  if (!isObject(root) || !isObject(root.children)) return saved;
  let changed = false;
  const children: Json = { ...root.children };
  for (const [systemId, part] of Object.entries(root.children)) {
    if (!isObject(part) || part.src !== 'host' || !isObject(part.snapshot) || !isObject(part.snapshot.context)) continue;
    const ctx = part.snapshot.context;
    if ('configuration' in ctx || !Array.isArray(ctx.tpmSealedKeys)) continue;
    const hasTpm = ctx.hasTpm === true;
    const legacy = ctx.tpmSealedKeys.filter(isObject).map((k) => ({ ...k, level: 'KDK', legacyTpm: true }));
    const context: Json = {
      ...ctx,
      configuration: { keys: hasTpm ? legacy : [], protection: hasTpm ? 'tpm' : 'bootDisk', locked: false, recoveryId: null, keptRecoveryId: null, written: false },
      bootDiskCopy: null,
    };
    delete context.tpmSealedKeys;
    children[systemId] = { ...part, snapshot: { ...part.snapshot, context } };
    changed = true;
  }
  return changed ? { ...saved, root: { ...root, children } } : saved;
}

const PART_PREFIXES: [string, string][] = [
  ['host:', 'host'],
  ['vm:', 'VM'],
  ['kms:', 'KMS node'],
  ['provider:', 'key provider'],
  ['datastore:', 'datastore'],
  ['wait:', 'KMS wait'],
];

/** "vm:db-01" -> "VM db-01": how the learner knows the part. */
export function partName(systemId: string): string {
  if (systemId === 'vcenter') return 'the vCenter Server';
  for (const [prefix, label] of PART_PREFIXES) if (systemId.startsWith(prefix)) return `${label} ${systemId.slice(prefix.length)}`;
  return `the part "${systemId}"`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  let where = 'The lab record';
  let field = path;
  if (path[0] === 'root' && path[1] === 'children' && path.length >= 3) {
    where = partName(path[2]!);
    where = where.charAt(0).toUpperCase() + where.slice(1);
    field = path.slice(3).filter((p) => p !== 'snapshot' && p !== 'context');
  } else if (path[0] === 'root' && path[1] === 'context') {
    where = "The lab's own record";
    field = path.slice(2);
  }
  const what = field.length > 0 ? `its “${field.join('.')}”` : 'it';
  const missing = 'input' in issue && issue.input === undefined;
  if (issue.code === 'invalid_union' && field.length === 0) return `${where} is not a kind of part the lab knows.`;
  return `${where}: ${what} ${missing ? 'is missing' : 'does not have a value the lab can use'}.`;
}

/** Parts that each look right but must also agree with one another. */
function crossCheck(lab: SavedLab): string[] {
  const problems: string[] = [];
  const children = lab.root.children;
  const has = (systemId: string) => systemId in children;
  const vcenter = children.vcenter;
  if (!vcenter || vcenter.src !== 'vcenter') {
    problems.push(
      Object.keys(children).length === 0
        ? 'The lab record holds none of the datacenter’s parts (no vCenter Server, hosts, KMS nodes, datastores or VMs).'
        : 'The vCenter Server is missing from the lab record.',
    );
  }
  for (const [systemId, part] of Object.entries(children) as [string, SavedChild][]) {
    const ctx = part.snapshot.context as { id?: unknown };
    const name = partName(systemId);
    const expected =
      part.src === 'vcenter' ? 'vcenter'
      : part.src === 'host' ? `host:${String(ctx.id)}`
      : part.src === 'vm' ? `vm:${String(ctx.id)}`
      : part.src === 'kmsNode' ? `kms:${String(ctx.id)}`
      : part.src === 'datastore' ? `datastore:${String(ctx.id)}`
      : part.src === 'keyProvider' ? `provider:${String(ctx.id)}`
      : `wait:${String(ctx.id)}`;
    if (expected !== systemId) problems.push(`The record of ${name} describes ${partName(expected)} instead.`);
    if (part.src === 'vm') {
      const vm = part.snapshot.context;
      if (!has(`datastore:${vm.datastoreId}`)) problems.push(`VM ${vm.name} lives on datastore ${vm.datastoreId}, which is missing from the lab record.`);
      if (vm.hostId !== null && !has(`host:${vm.hostId}`)) problems.push(`VM ${vm.name} is on host ${vm.hostId}, which is missing from the lab record.`);
    }
    if (part.src === 'keyProvider' && part.snapshot.context.kind === 'standard') {
      for (const kmsId of part.snapshot.context.kmsNodeIds) {
        if (!has(`kms:${kmsId}`)) problems.push(`Key provider ${part.snapshot.context.name} uses KMS node ${kmsId}, which is missing from the lab record.`);
      }
    }
  }
  if (vcenter?.src === 'vcenter' && vcenter.snapshot.value !== 'destroyed') {
    const vc = vcenter.snapshot.context;
    for (const hostId of vc.hostIds) if (!has(`host:${hostId}`)) problems.push(`vCenter lists host ${hostId}, which is missing from the lab record.`);
    for (const vmId of vc.registeredVmIds) if (!has(`vm:${vmId}`)) problems.push(`vCenter lists VM ${vmId}, which is missing from the lab record.`);
    for (const id of vc.providerIds) if (!has(`provider:${id}`)) problems.push(`vCenter lists key provider ${id}, which is missing from the lab record.`);
  }
  return problems;
}

const MAX_PROBLEMS = 8;

/** The saved lab in the current format, or a LabOpenError naming what is wrong with it. */
export function readSavedLab(text: string): SavedLab {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new LabOpenError('SAVED_LAB_DAMAGED', ['The lab record is not complete: it was cut short or overwritten, so it cannot be read.']);
  }
  if (!isObject(data)) throw new LabOpenError('SAVED_LAB_DAMAGED', ['The lab record holds no lab.']);
  if (typeof data.format === 'number' && data.format > SAVE_FORMAT) {
    throw new LabOpenError('SAVED_LAB_NEWER', [`It was saved by a newer version of keylab (format ${data.format}; this version reads up to ${SAVE_FORMAT}).`]);
  }
  if (typeof data.format !== 'number' || !Number.isInteger(data.format) || data.format < 1) {
    throw new LabOpenError('SAVED_LAB_DAMAGED', ['The lab record does not say which keylab format it is in.']);
  }
  const result = savedLabSchema.safeParse(migrateSavedLab(data), { reportInput: true });
  if (!result.success) {
    const problems = [...new Set(result.error.issues.map(describeIssue))];
    throw new LabOpenError('SAVED_LAB_DAMAGED', problems.slice(0, MAX_PROBLEMS), problems.length);
  }
  const problems = crossCheck(result.data);
  if (problems.length > 0) throw new LabOpenError('SAVED_LAB_DAMAGED', problems.slice(0, MAX_PROBLEMS), problems.length);
  return result.data;
}
