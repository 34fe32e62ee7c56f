// Scenario format 2: a version-1 scenario opens (migrated, faults kept), a version-2 one is validated whole, and each
// refusal names its place: an unknown command, a prelude naming what the world lacks, key material, a newer version.
import { describe, expect, it } from 'vitest';
import { defaultScenario } from './default-scenario';
import { classroomInput, doomsdayInput } from './sample-scenarios';
import { ScenarioError } from './scenario-schema';
import { NewerScenarioError, readScenario, worldScenario } from './scenario-v2';

function problemsOf(data: unknown): string[] {
  try {
    readScenario(data);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    return e.problems.length ? e.problems : [e.message];
  }
  throw new Error('expected the scenario to be refused');
}

describe('version 1 → 2', () => {
  it('migrates the default lab: the same world, the description as the briefing, an empty prelude', () => {
    const v1 = defaultScenario();
    const v2 = readScenario(structuredClone(v1));
    expect(v2.version).toBe(2);
    expect(v2.title).toBe(v1.title);
    expect(v2.briefing).toBe(v1.description);
    expect(v2.prelude).toEqual([]);
    expect(worldScenario(v2)).toEqual({ ...v1, description: '' });
  });

  it('keeps version 1’s faults as fields of the world (a KMS node hung, a host off)', () => {
    const v1 = structuredClone(defaultScenario()) as ReturnType<typeof defaultScenario>;
    v1.kmsNodes[1]!.status = 'hung';
    v1.hosts[2]!.power = 'off';
    v1.vms[2]!.power = 'off';
    const v2 = readScenario(v1);
    expect(v2.world.kmsNodes[1]!.status).toBe('hung');
    expect(v2.world.hosts[2]!.power).toBe('off');
  });

  it('refuses a broken version-1 scenario with its own problems, saying it was version 1', () => {
    const v1 = structuredClone(defaultScenario()) as ReturnType<typeof defaultScenario>;
    v1.vms[0]!.hostId = 'esx-99';
    expect(() => readScenario(v1)).toThrow(/version-1 scenario/);
    expect(problemsOf(v1)).toContain('vms.0.hostId: unknown host "esx-99"');
  });
});

describe('version 2', () => {
  it('reads a doomsday start: NKP added, backed up and handed out, VMs encrypted, vCenter destroyed', () => {
    const s = readScenario(doomsdayInput());
    expect(s.prelude.map((p) => (p.kind === 'command' ? p.command.type : p.kind))).toEqual([
      'provider.addNative',
      'backupNkp',
      'provider.setDefault',
      'vm.encrypt',
      'vm.encrypt',
      'vm.powerOn',
      'vm.powerOn',
      'vcenter.destroy',
    ]);
    expect(s.world.vcenter.name).toBe('vcsa-01.lab.local');
    expect(s.world.vms[0]!.power).toBe('off');
  });

  it('reads the classroom scenario with its lesson steps and variation', () => {
    const s = readScenario(classroomInput());
    expect(s.steps).toHaveLength(5);
    expect(s.world.vms).toHaveLength(50);
  });

  it('refuses an unknown command and a command missing its object, naming the step', () => {
    const input = doomsdayInput();
    input.prelude!.push({ kind: 'command', command: { type: 'vm.format' } as never });
    input.prelude!.push({ kind: 'command', command: { type: 'host.reboot' } as never });
    const problems = problemsOf(input);
    expect(problems.some((p) => p.startsWith('prelude.8.command.type'))).toBe(true);
    expect(problems.some((p) => p.startsWith('prelude.9.command.hostId'))).toBe(true);
  });

  it('refuses a prelude naming a host, VM or provider the world does not have, and a restore with nothing handed out', () => {
    const input = doomsdayInput();
    input.prelude = [
      { kind: 'command', command: { type: 'host.clearTpm', hostId: 'esx-09' } },
      { kind: 'command', command: { type: 'vm.encrypt', vmId: 'db-01', providerId: 'NKP-Later' } },
      { kind: 'backupNkp', providerName: 'NKP-Prod', password: 'x' },
      { kind: 'restoreHandout' },
      { kind: 'command', command: { type: 'provider.addNative', name: 'NKP-Later', tpmOnly: false } },
    ];
    expect(problemsOf(input)).toEqual([
      'prelude.0.command.hostId: unknown host "esx-09"',
      'prelude.1.command.providerId: unknown key provider "NKP-Later"',
      'prelude.2.providerName: no Native Key Provider "NKP-Prod" is added before this backup',
      'prelude.3: a restore needs a backup handed out by an earlier step (backupNkp with handout)',
    ]);
  });

  it('refuses fields it does not know, so no key material rides along unseen', () => {
    const input = { ...doomsdayInput(), kdk: '00112233445566778899aabbccddeeff' };
    expect(problemsOf(input)).toContain('scenario: a field a scenario does not have: kdk');
  });

  it('names a world problem with its place under world', () => {
    const input = doomsdayInput();
    (input.world as { vms: { hostId: string }[] }).vms[1]!.hostId = 'esx-07';
    expect(problemsOf(input)).toContain('world.vms.1.hostId: unknown host "esx-07"');
  });

  it('refuses a variation naming hosts or KMS nodes the world does not have', () => {
    const input = classroomInput();
    input.variation = { tpmlessHost: { among: ['esx-01', 'esx-77'] }, failingKmsNode: { among: ['kms-z'], fault: 'down' } };
    expect(problemsOf(input)).toEqual(['variation.tpmlessHost.among.1: unknown host "esx-77"', 'variation.failingKmsNode.among.0: unknown KMS node "kms-z"']);
  });

  it('refuses a newer version saying so, and something that is not a scenario', () => {
    expect(() => readScenario({ ...doomsdayInput(), version: 3 })).toThrow(NewerScenarioError);
    expect(() => readScenario({ ...doomsdayInput(), version: 3 })).toThrow(/newer keylab \(format version 3\); this keylab reads versions 1 and 2/);
    expect(() => readScenario([])).toThrow(/not a keylab scenario/);
    expect(() => readScenario({ version: '2' })).toThrow(/format version is "2"/);
    expect(problemsOf({ version: 2, title: 'x' })).toContain('world: must be the starting world (an object)');
  });
});

describe('problems in words', () => {
  it('says what is wrong with a field instead of "Invalid input"', () => {
    const input = doomsdayInput();
    input.prelude = [{ kind: 'command', command: { type: 'vm.format', vmId: 'db-01' } as never }, { kind: 'command', command: { type: 'clock.advance', ms: 'soon' } as never }];
    (input as { title: unknown }).title = 42;
    const problems = problemsOf(input);
    expect(problems).toContain('title: must be a string');
    expect(problems).toContain('prelude.0.command.type: is not one this keylab knows');
    expect(problems).toContain('prelude.1.command.ms: must be a number');
    expect(problems.join(' ')).not.toMatch(/Invalid input/);
  });
});
