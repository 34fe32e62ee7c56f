// A scenario opens in a lab of its own: its world built and its prelude run through dispatch (vCenter destroyed, VMs
// encrypted with an NKP whose .p12 the learner is handed), reopened where the learner left it; the same learner seed
// names every key the same in another browser (the instructor's rebuild); a refused prelude says why.
import { afterEach, describe, expect, it } from 'vitest';
import { readScenario } from '@/lib/scenario';
import { doomsdayInput } from '@/lib/scenario/sample-scenarios';
import { emptyBuilderForm, scenarioFromForm } from '@/lib/scenario/builder-form';
import { KeylabDb } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import type { Lab } from '../lab-types';
import { createManualClock } from '../session/lab-clock';
import { ScenarioLabMissingError, ScenarioPreludeError, openScenarioLab, scenarioDbName, scenarioLabKey } from './open-scenario';

const opened: Lab[] = [];
afterEach(() => {
  for (const lab of opened.splice(0)) lab.dispose();
});

async function open(db: KeylabDb, start?: Parameters<typeof openScenarioLab>[0]['start']) {
  const result = await openScenarioLab({ db, start, clock: createManualClock() });
  opened.push(result.lab);
  return result;
}

describe('openScenarioLab', () => {
  it('builds the world and runs the prelude: vCenter destroyed, VMs running encrypted with the NKP, the .p12 handed out', async () => {
    const scenario = readScenario(doomsdayInput());
    const db = new KeylabDb(uniqueDbName('scenario'));
    const { lab, record } = await open(db, { scenario, learnerSeed: null });
    const view = lab.getView();
    expect(view.vcenterStatus).toBe('destroyed');
    expect(view.vms.map((vm) => [vm.id, vm.power, vm.encryption?.providerName])).toEqual([
      ['db-01', 'on', 'NKP-Prod'],
      ['web-01', 'on', 'NKP-Prod'],
    ]);
    expect(record.handout?.providerName).toBe('NKP-Prod');
    expect(record.handout?.password).toBe('Last-week-2024!');
    expect(record.handout?.bytes.byteLength).toBeGreaterThan(500);
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toBe('id,name,card\n1,{{name}},{{card}}\n');
  });

  it('reopens where the learner left it, without the link', async () => {
    const scenario = readScenario(doomsdayInput());
    const db = new KeylabDb(uniqueDbName('scenario'));
    const first = await open(db, { scenario, learnerSeed: 'ada' });
    expect((await first.lab.dispatch({ type: 'vcenter.deploy' })).ok).toBe(true);
    await first.lab.save();
    first.lab.dispose();
    opened.splice(0);
    const again = await open(db);
    expect(again.lab.getView().vcenterStatus).toBe('running');
    expect(again.record.learnerSeed).toBe('ada');
    expect(again.concrete.seed).toBe(first.concrete.seed);
  });

  it('gives the same learner seed the same key IDs in another database, and another seed others', async () => {
    const input = doomsdayInput();
    input.variation = { names: true, guestData: true };
    const scenario = readScenario(input);
    const keysOf = async (seed: string) => {
      const { lab, concrete } = await open(new KeylabDb(uniqueDbName('scenario')), { scenario, learnerSeed: seed });
      const vm = concrete.world.vms[0]!;
      return { keys: lab.getView().vms.map((v) => [v.id, v.encryption?.keyId]), file: await lab.readGuestFile(vm.id, 'customers.csv') };
    };
    const ada = await keysOf('ada');
    expect(await keysOf('ada')).toEqual(ada);
    const alan = await keysOf('alan');
    expect(alan.keys).not.toEqual(ada.keys);
    expect(ada.file).not.toContain('{{');
    expect(scenarioDbName(scenarioLabKey(scenario, 'ada'))).toMatch(/^keylab-scenario-[0-9a-f]{24}$/);
  });

  it('says why a prelude the lab refuses could not set up the lab', async () => {
    const input = doomsdayInput();
    // Encrypting a running VM: vSphere encrypts only powered-off VMs.
    input.prelude = [
      { kind: 'command', command: { type: 'provider.addNative', name: 'NKP-Prod', tpmOnly: true } },
      { kind: 'backupNkp', providerName: 'NKP-Prod', password: 'pw' },
      { kind: 'command', command: { type: 'vm.powerOn', vmId: 'db-01' } },
      { kind: 'command', command: { type: 'vm.encrypt', vmId: 'db-01', providerId: 'NKP-Prod' } },
    ];
    const db = new KeylabDb(uniqueDbName('scenario'));
    await expect(openScenarioLab({ db, start: { scenario: readScenario(input), learnerSeed: null }, clock: createManualClock() })).rejects.toThrow(ScenarioPreludeError);
    await expect(openScenarioLab({ db, start: { scenario: readScenario(input), learnerSeed: null }, clock: createManualClock() })).rejects.toThrow(/powered off/i);
  });

  it('opens what the builder makes: NKP-encrypted VM running, a KMS node hung, vCenter destroyed', async () => {
    const form = emptyBuilderForm();
    form.nkp.enabled = true;
    form.vms[0]!.encryption = 'native';
    form.vms.push({ name: 'web-01', host: 1, power: 'on', encryption: 'standard', fileName: 'index.html', fileText: '<h1>shop</h1>' });
    form.kmsNodes[1]!.fault = 'hung';
    form.vcenter = 'destroyed';
    const { lab, record } = await open(new KeylabDb(uniqueDbName('scenario')), { scenario: scenarioFromForm(form), learnerSeed: null });
    const view = lab.getView();
    expect(view.vcenterStatus).toBe('destroyed');
    expect(view.vms.map((v) => [v.id, v.power, v.encryption?.providerKind])).toEqual([
      ['db-01', 'on', 'native'],
      ['web-01', 'on', 'standard'],
    ]);
    expect(view.kmsNodes.map((k) => k.status)).toEqual(['up', 'hung']);
    expect(record.handout?.providerName).toBe('NKP-1');
    expect(await lab.readGuestFile('web-01', 'index.html')).toBe('<h1>shop</h1>');
  });

  it('refuses to open with no link when nothing is stored', async () => {
    await expect(openScenarioLab({ db: new KeylabDb(uniqueDbName('scenario')), clock: createManualClock() })).rejects.toThrow(ScenarioLabMissingError);
  });
});
