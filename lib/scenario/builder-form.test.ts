// The builder's form makes a valid scenario: VMs encrypted with the KMS at build, with the NKP in the prelude (off,
// encrypted, then on), faults after; what the lab would refuse is named in the builder's words.
import { describe, expect, it } from 'vitest';
import { emptyBuilderForm, scenarioFromForm, type BuilderForm } from './builder-form';
import { ScenarioError } from './scenario-schema';

function problems(form: BuilderForm): string[] {
  try {
    scenarioFromForm(form);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error('expected the form to be refused');
}

describe('builder form', () => {
  it('makes the default form’s scenario', () => {
    const s = scenarioFromForm(emptyBuilderForm());
    expect(s.world.hosts.map((h) => [h.id, h.hasTpm])).toEqual([
      ['esx-01', true],
      ['esx-02', false],
    ]);
    expect(s.world.vms[0]).toMatchObject({ id: 'db-01', encryptWith: 'KMS-Cluster', power: 'on' });
    expect(s.prelude).toEqual([]);
  });

  it('encrypts with the NKP in the prelude, hands out its backup, then applies the faults', () => {
    const form = emptyBuilderForm();
    form.nkp.enabled = true;
    form.nkp.isDefault = true;
    form.vms[0]!.encryption = 'native';
    form.kmsNodes[1]!.fault = 'hung';
    form.hosts[0]!.tpmCleared = true;
    form.vcenter = 'destroyed';
    const s = scenarioFromForm(form);
    expect(s.world.vms[0]).toMatchObject({ power: 'off', encryptWith: null });
    expect(s.world.standardProviders[0]!.isDefault).toBe(false);
    expect(s.prelude.map((p) => (p.kind === 'command' ? p.command.type : p.kind))).toEqual([
      'provider.addNative',
      'backupNkp',
      'provider.setDefault',
      'vm.encrypt',
      'vm.powerOn',
      'kms.hang',
      'host.clearTpm',
      'vcenter.destroy',
    ]);
    expect(s.prelude[1]).toMatchObject({ kind: 'backupNkp', handout: true });
  });

  it('names what the lab would refuse, in the builder’s words', () => {
    const form = emptyBuilderForm();
    form.vms[0]!.encryption = 'native';
    form.vms.push({ ...form.vms[0]!, encryption: 'standard' });
    form.kmsNodes = [];
    expect(problems(form)).toEqual([
      'VM db-01 is to be encrypted with the Native Key Provider: add one first',
      'VM db-01 is to be encrypted with the KMS: add a KMS node first',
      'two VMs would both be “db-01”: give them different names',
    ]);
    const unbacked = emptyBuilderForm();
    unbacked.nkp.enabled = true;
    unbacked.nkp.backup = 'none';
    unbacked.vms[0]!.encryption = 'native';
    expect(problems(unbacked)[0]).toMatch(/not backed up cannot encrypt/);
    const off = emptyBuilderForm();
    off.hosts[0]!.power = 'off';
    expect(problems(off)).toContain('world.vms.0.power: VM "db-01" cannot run on host "esx-01.lab.local", which is off');
  });
});
