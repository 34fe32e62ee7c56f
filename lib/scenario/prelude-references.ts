// A prelude (and a variation) may only name what its world has (hosts, VMs, KMS nodes, datastores) and the key providers the world or an
// earlier step made; a restore needs a backup handed out before it. Checked when a scenario is read, so a link naming
// a VM that is not there is refused with its place, before any lab is built. Whether a command is allowed in the state
// the lab is in by then is the lab's own rule (its preconditions), said when the prelude runs.
import type { PreludeStep } from './prelude-commands';
import type { ScenarioWorld, Variation } from './scenario-v2';

type Ref = 'host' | 'vm' | 'kms' | 'datastore' | 'provider';
const FIELD_REF: Record<string, Ref> = { hostId: 'host', vmId: 'vm', kmsId: 'kms', datastoreId: 'datastore', providerId: 'provider' };
const LIST_REF: Record<string, Ref> = { vmIds: 'vm', kmsNodeIds: 'kms' };
const LABEL: Record<Ref, string> = { host: 'host', vm: 'VM', kms: 'KMS node', datastore: 'datastore', provider: 'key provider' };

export function checkPreludeReferences(scenario: { world: ScenarioWorld; prelude: PreludeStep[]; variation?: Variation }): string[] {
  const { world, prelude, variation } = scenario;
  const known: Record<Ref, Set<string>> = {
    host: new Set(world.hosts.map((h) => h.id)),
    vm: new Set(world.vms.map((v) => v.id)),
    kms: new Set(world.kmsNodes.map((k) => k.id)),
    datastore: new Set(world.datastores.map((d) => d.id)),
    provider: new Set(world.standardProviders.map((p) => p.name)),
  };
  const natives = new Set<string>();
  let handedOut = false;
  const problems: string[] = [];
  prelude.forEach((step, i) => {
    if (step.kind === 'backupNkp') {
      if (!natives.has(step.providerName)) problems.push(`prelude.${i}.providerName: no Native Key Provider "${step.providerName}" is added before this backup`);
      if (step.handout) handedOut = true;
      return;
    }
    if (step.kind === 'restoreHandout') {
      if (!handedOut) problems.push(`prelude.${i}: a restore needs a backup handed out by an earlier step (backupNkp with handout)`);
      return;
    }
    const command = step.command as Record<string, unknown>;
    for (const [field, value] of Object.entries(command)) {
      const single = FIELD_REF[field];
      if (single && typeof value === 'string' && !known[single].has(value)) problems.push(`prelude.${i}.command.${field}: unknown ${LABEL[single]} "${value}"`);
      const list = LIST_REF[field];
      if (list && Array.isArray(value)) {
        value.forEach((v, j) => {
          if (!known[list].has(String(v))) problems.push(`prelude.${i}.command.${field}.${j}: unknown ${LABEL[list]} "${String(v)}"`);
        });
      }
    }
    // Providers an earlier step added may be named from here on (the lab gives a provider its name as its id).
    if (step.command.type === 'provider.addNative') {
      known.provider.add(step.command.name);
      natives.add(step.command.name);
    }
    if (step.command.type === 'provider.addStandard') known.provider.add(step.command.name);
  });
  variation?.tpmlessHost?.among.forEach((h, j) => {
    if (!known.host.has(h)) problems.push(`variation.tpmlessHost.among.${j}: unknown host "${h}"`);
  });
  variation?.failingKmsNode?.among.forEach((k, j) => {
    if (!known.kms.has(k)) problems.push(`variation.failingKmsNode.among.${j}: unknown KMS node "${k}"`);
  });
  return problems;
}
