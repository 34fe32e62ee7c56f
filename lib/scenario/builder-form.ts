// The builder's form as plain data, and the scenario it makes: hosts (TPM or not, on or off), KMS nodes in order
// behind one standard provider, an optional Native Key Provider (backed up or not, its .p12 handed out or not, the
// default or not), one datastore, VMs (host, power, encryption with either provider, a guest file), and faults
// applied once the world is set up. Everything the builder cannot say is left to the JSON file.
import { MIB } from '@/lib/units';
import type { PreludeStep } from './prelude-commands';
import { ScenarioError } from './scenario-schema';
import { readScenario, type ScenarioV2 } from './scenario-v2';

export interface BuilderForm {
  title: string;
  briefing: string;
  hosts: { name: string; hasTpm: boolean; power: 'on' | 'off'; tpmCleared: boolean }[];
  /** In the order vCenter tries them; with none there is no standard provider. */
  kmsNodes: { name: string; fault: 'none' | 'down' | 'hung' }[];
  providerName: string;
  nkp: { enabled: boolean; name: string; tpmOnly: boolean; backup: 'none' | 'kept' | 'handout'; password: string; isDefault: boolean };
  vms: { name: string; host: number; power: 'on' | 'off'; encryption: 'none' | 'standard' | 'native'; fileName: string; fileText: string }[];
  vcenter: 'running' | 'stopped' | 'destroyed';
}

export function emptyBuilderForm(): BuilderForm {
  return {
    title: 'My scenario',
    briefing: '',
    hosts: [
      { name: 'esx-01.lab.local', hasTpm: true, power: 'on', tpmCleared: false },
      { name: 'esx-02.lab.local', hasTpm: false, power: 'on', tpmCleared: false },
    ],
    kmsNodes: [
      { name: 'kms-a', fault: 'none' },
      { name: 'kms-b', fault: 'none' },
    ],
    providerName: 'KMS-Cluster',
    nkp: { enabled: false, name: 'NKP-1', tpmOnly: true, backup: 'handout', password: 'Backup-password-1!', isDefault: false },
    vms: [{ name: 'db-01', host: 0, power: 'on', encryption: 'standard', fileName: 'customers.csv', fileText: 'id,name\n1,{{name}}\n' }],
    vcenter: 'running',
  };
}

/** An object id from a name: its first label, lowercase, letters, digits and dashes. */
export function idFromName(name: string): string {
  const slug = name.trim().split('.')[0]!.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32);
  return slug || 'x';
}

const DATASTORE = 'ds-shared-01';

/** The form's scenario, checked as any scenario is: a ScenarioError names each problem with its place. */
export function scenarioFromForm(form: BuilderForm): ScenarioV2 {
  const unsaid = formProblems(form);
  if (unsaid.length) throw new ScenarioError(`The scenario is not valid: ${unsaid.join('; ')}`, unsaid);
  const hostIds = form.hosts.map((h) => idFromName(h.name));
  const kmsIds = form.kmsNodes.map((k) => idFromName(k.name));
  const nkp = form.nkp.enabled ? form.nkp : null;
  const prelude: PreludeStep[] = [];
  const cmd = (command: Extract<PreludeStep, { kind: 'command' }>['command']) => prelude.push({ kind: 'command', command });

  if (nkp) {
    cmd({ type: 'provider.addNative', name: nkp.name, tpmOnly: nkp.tpmOnly });
    if (nkp.backup !== 'none') prelude.push({ kind: 'backupNkp', providerName: nkp.name, password: nkp.password, ...(nkp.backup === 'handout' ? { handout: true } : {}) });
    if (nkp.isDefault) cmd({ type: 'provider.setDefault', providerId: nkp.name });
  }
  const vms = form.vms.map((vm) => {
    const id = idFromName(vm.name);
    const native = vm.encryption === 'native';
    if (native) {
      // vSphere encrypts a VM only while it is off: it starts off, is encrypted with the NKP, then powered on.
      cmd({ type: 'vm.encrypt', vmId: id, providerId: nkp?.name ?? '' });
      if (vm.power === 'on') cmd({ type: 'vm.powerOn', vmId: id });
    }
    return {
      id,
      name: vm.name.trim(),
      datastoreId: DATASTORE,
      hostId: hostIds[vm.host] ?? '',
      power: native ? ('off' as const) : vm.power,
      diskSizeBytes: MIB,
      encryptWith: vm.encryption === 'standard' ? form.providerName : null,
      guestFiles: vm.fileName.trim() ? [{ name: vm.fileName.trim(), text: vm.fileText }] : [],
    };
  });
  // Faults once everything is set up, as they happen to a running datacenter.
  form.kmsNodes.forEach((k, i) => {
    if (k.fault !== 'none') cmd({ type: k.fault === 'down' ? 'kms.down' : 'kms.hang', kmsId: kmsIds[i]! });
  });
  form.hosts.forEach((h, i) => {
    if (h.tpmCleared) cmd({ type: 'host.clearTpm', hostId: hostIds[i]! });
  });
  if (form.vcenter !== 'running') cmd({ type: form.vcenter === 'destroyed' ? 'vcenter.destroy' : 'vcenter.stop' });

  return readScenario({
    version: 2,
    title: form.title,
    briefing: form.briefing,
    world: {
      vcenter: { name: 'vcsa-01.lab.local', datacenter: 'DC-Lab', cluster: 'Cluster-01' },
      kmsNodes: form.kmsNodes.map((k, i) => ({ id: kmsIds[i]!, name: k.name.trim(), address: `${kmsIds[i]}.lab.local` })),
      standardProviders: form.kmsNodes.length ? [{ name: form.providerName, kmsNodeIds: kmsIds, isDefault: !nkp?.isDefault }] : [],
      hosts: form.hosts.map((h, i) => ({ id: hostIds[i]!, name: h.name.trim(), hasTpm: h.hasTpm, power: h.power })),
      datastores: [{ id: DATASTORE, name: DATASTORE, capacityBytes: Math.max(64, form.vms.length * 2 + 16) * MIB }],
      vms,
    },
    prelude,
  });
}

/** What the form asks for that the lab would refuse, in the builder's own words (before the schema's). */
function formProblems(form: BuilderForm): string[] {
  const problems: string[] = [];
  form.vms.forEach((vm) => {
    const label = vm.name.trim() || 'a VM without a name';
    if (vm.encryption === 'native' && !form.nkp.enabled) problems.push(`VM ${label} is to be encrypted with the Native Key Provider: add one first`);
    if (vm.encryption === 'native' && form.nkp.enabled && form.nkp.backup === 'none') {
      problems.push(`VM ${label}: a Native Key Provider that is not backed up cannot encrypt (vSphere: “requires backup”); back it up in the start`);
    }
    if (vm.encryption === 'standard' && form.kmsNodes.length === 0) problems.push(`VM ${label} is to be encrypted with the KMS: add a KMS node first`);
  });
  const ids = (names: string[], what: string) => {
    const seen = new Set<string>();
    for (const n of names) {
      const id = idFromName(n);
      if (seen.has(id)) problems.push(`two ${what} would both be “${id}”: give them different names`);
      seen.add(id);
    }
  };
  ids(form.hosts.map((h) => h.name), 'hosts');
  ids(form.vms.map((v) => v.name), 'VMs');
  ids(form.kmsNodes.map((k) => k.name), 'KMS nodes');
  return problems;
}
