// Helpers for the end-to-end flow tests: a lab opened headless through the public API only (openLab, dispatch,
// getView, readGuestFile...) by the one test harness (machines/session/lab-test-support), with a small known world.
import { MIB } from '@/lib/units';
import { expect } from 'vitest';
import { defaultScenario, parseScenario, type ScenarioInput } from '@/lib/scenario';
import { ok as must, openTestLab, reopenTestLab, vmOf, type TestLab } from '@/machines/session/lab-test-support';
import type { Lab, LabView } from '@/machines/lab-types';

export { closeTestLabs as closeFlowLabs, ok as must, refused, vmOf as vmView } from '@/machines/session/lab-test-support';

/** Guest files the flows check byte for byte: multi-byte UTF-8 and a file spanning many sectors. */
export const DB_FILES = [
  { name: 'customers.csv', text: 'id,name,card\n1,Ada Lovelace,4111-1111-1111-1111\n2,Alan Turing,5500-0000-0000-0004\n' },
  { name: 'ledger.txt', text: Array.from({ length: 600 }, (_, i) => `${i}\tpayment ${i * 37 % 1000}.00 € ✓`).join('\n') },
];
export const WEB_FILES = [{ name: 'index.html', text: '<h1>Welcome to the lab shop — ünïcødé</h1>\n' }];
export const APP_FILES = [{ name: 'notes.txt', text: 'Application server. Not encrypted yet.\n' }];
export const EDGE_FILES = [{ name: 'edge.conf', text: 'role=edge\nsite=branch-07\n' }];

/**
 * The flows' world: a two-node KMS cluster (the default provider), two TPM hosts and one without, and four VMs:
 * db-01 (esx-01, on, encrypted), web-01 (esx-02, on, encrypted), app-01 (esx-01, off, plain), edge-01 (esx-03 without
 * TPM, on, plain).
 */
export function flowScenario(): ScenarioInput {
  // The starter lab's vCenter, KMS cluster (the default provider) and hosts; the flows' own datastore and VMs.
  const { vcenter, kmsNodes, standardProviders, hosts } = defaultScenario();
  return {
    version: 1,
    title: 'Flow test lab',
    vcenter,
    kmsNodes,
    standardProviders,
    hosts,
    datastores: [{ id: 'ds-1', name: 'ds-shared-01', capacityBytes: 256 * MIB }],
    vms: [
      { id: 'db-01', name: 'db-01', datastoreId: 'ds-1', hostId: 'esx-01', power: 'on', diskSizeBytes: MIB, encryptWith: 'KMS-Cluster', guestFiles: DB_FILES },
      { id: 'web-01', name: 'web-01', datastoreId: 'ds-1', hostId: 'esx-02', power: 'on', diskSizeBytes: MIB, encryptWith: 'KMS-Cluster', guestFiles: WEB_FILES },
      { id: 'app-01', name: 'app-01', datastoreId: 'ds-1', hostId: 'esx-01', power: 'off', diskSizeBytes: MIB, encryptWith: null, guestFiles: APP_FILES },
      { id: 'edge-01', name: 'edge-01', datastoreId: 'ds-1', hostId: 'esx-03', power: 'on', diskSizeBytes: MIB, encryptWith: null, guestFiles: EDGE_FILES },
    ],
  };
}

export const FILES_OF: Record<string, { name: string; text: string }[]> = {
  'db-01': DB_FILES,
  'web-01': WEB_FILES,
  'app-01': APP_FILES,
  'edge-01': EDGE_FILES,
};

export type FlowLab = TestLab;

export function openFlowLab(label: string, scenario: ScenarioInput = flowScenario()): Promise<FlowLab> {
  return openTestLab({ label: `flow-${label}`, labId: `flow-${label}`, scenario: parseScenario(scenario) });
}

/** The flows' NKP: NKP-1, TPM-only, backed up and the default (setUpNkp), with its backup. */
export type FlowNkp = Awaited<ReturnType<typeof setUpNkp>>;

/** A flow lab whose db-01 runs on NKP-1's key (setUpNkp, TPM-only), moved there from the KMS by a shallow re-key. */
export async function openNkpFlowLab(label: string): Promise<FlowLab & { nkp: FlowNkp }> {
  const flow = await openFlowLab(label);
  const nkp = await setUpNkp(flow.lab, 'NKP-1', true);
  await must(flow.lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
  return { ...flow, nkp };
}

/** Opens the saved lab again on the same database, as a reloaded tab would. */
export const reopenFlowLab = reopenTestLab;

export function providerOf(view: LabView, name: string) {
  return view.vcenter?.keyProviders.find((p) => p.name === name);
}

/** Every guest file of the VM, read through the lab as its host sees it, byte for byte. */
export async function expectGuestData(lab: Lab, vmId: string, files = FILES_OF[vmId]!): Promise<void> {
  for (const file of files) expect(await lab.readGuestFile(vmId, file.name)).toBe(file.text);
}

/** Lets promises and IndexedDB work settle (real time: fake-indexeddb schedules with real timers). */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits (in real time, up to ~5 s) until the view shows a pending wait, i.e. the work has reached it. */
export async function untilPendingWait(lab: Lab): Promise<LabView['clock']['pendingWaits'][number]> {
  for (let i = 0; i < 500; i++) {
    const wait = lab.getView().clock.pendingWaits[0];
    if (wait) return wait;
    await settle(10);
  }
  throw new Error('No pending wait appeared in the view.');
}

/** Tracks whether a promise has settled yet. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  return { promise, settled: () => done };
}

/** The lab's .vmx text of a VM, read from its datastore as the datastore browser shows it. */
export async function vmxOf(lab: Lab, vmId: string): Promise<string> {
  const vm = vmOf(lab, vmId);
  const entries = await lab.listDatastoreFiles(vm.datastoreId, vm.folder);
  const vmx = entries.find((e) => e.kind === 'vmx');
  if (!vmx) throw new Error(`No .vmx in ${vm.folder}.`);
  return lab.readDatastoreFile(vm.datastoreId, vmx.path);
}

export const BACKUP_PASSWORD = 'correct horse battery staple';

/**
 * DESIGN §4 flow 2: add a Native Key Provider, back it up (a real .p12), make it the default. Checks the states the
 * vSphere Client shows on the way (Not backed up, then Active).
 */
export async function setUpNkp(lab: Lab, name = 'NKP-1', tpmOnly = true): Promise<{ providerId: string; keyId: string; p12: Uint8Array; fileName: string }> {
  await must(lab, { type: 'provider.addNative', name, tpmOnly });
  const added = providerOf(lab.getView(), name);
  expect(added).toMatchObject({ kind: 'native', tpmOnly, backedUp: false, status: 'notBackedUp', health: 'error' });
  if (added?.kind !== 'native') throw new Error('not an NKP');
  expect(added.healthMessage).toContain(`Key provider ${name} requires backup.`);
  const { bytes, fileName } = await lab.exportNkpBackup(added.id, BACKUP_PASSWORD);
  expect(bytes.length).toBeGreaterThan(100);
  const backedUp = providerOf(lab.getView(), name);
  expect(backedUp).toMatchObject({ backedUp: true });
  await must(lab, { type: 'provider.setDefault', providerId: added.id });
  expect(lab.getView().vcenter!.defaultProviderId).toBe(added.id);
  return { providerId: added.id, keyId: added.keyId, p12: bytes, fileName };
}
