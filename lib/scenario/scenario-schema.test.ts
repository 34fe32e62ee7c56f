// The scenario schema: the default lab is valid, and a broken scenario is refused with a message naming the problem.
import { describe, expect, it } from 'vitest';
import { defaultScenario } from './default-scenario';
import { ScenarioError, parseScenario, type ScenarioInput } from './scenario-schema';

function validInput(): ScenarioInput {
  return structuredClone(defaultScenario());
}

function problemsOf(data: unknown): string[] {
  try {
    parseScenario(data);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems.length ? (error as ScenarioError).problems : [(error as Error).message];
  }
  throw new Error('expected the scenario to be refused');
}

describe('scenario schema', () => {
  it('accepts the default lab and fills in defaults', () => {
    const s = defaultScenario();
    expect(s.hosts.map((h) => [h.id, h.hasTpm])).toEqual([
      ['esx-01', true],
      ['esx-02', true],
      ['esx-03', false],
    ]);
    expect(s.kmsNodes.every((k) => k.status === 'up' && k.port === 5696 && k.replicationLagMs === 10_000)).toBe(true);
    expect(s.vms.find((v) => v.id === 'app-01')?.vtpm).toBe(false);
  });

  it('refuses another version with a message saying which it reads', () => {
    expect(() => parseScenario({ ...validInput(), version: 2 })).toThrow(/version 2; this keylab reads version 1/);
  });

  it('takes a KMS node\'s own replication lag and refuses a negative one', () => {
    const input = validInput();
    input.kmsNodes[0]!.replicationLagMs = 180_000;
    expect(parseScenario(input).kmsNodes[0]!.replicationLagMs).toBe(180_000);
    input.kmsNodes[0]!.replicationLagMs = -1;
    expect(problemsOf(input).some((p) => p.startsWith('kmsNodes.0.replicationLagMs'))).toBe(true);
  });

  it('names a VM placed on an unknown host', () => {
    const input = validInput();
    input.vms[0]!.hostId = 'esx-99';
    expect(problemsOf(input)).toContain('vms.0.hostId: unknown host "esx-99"');
  });

  it('names a provider that lists an unknown KMS node, and a VM encrypted with an unknown provider', () => {
    const input = validInput();
    input.standardProviders[0]!.kmsNodeIds = ['kms-a', 'kms-z'];
    input.vms[1]!.encryptWith = 'Other-KMS';
    const problems = problemsOf(input);
    expect(problems).toContain('standardProviders.0.kmsNodeIds.1: unknown KMS node "kms-z"');
    expect(problems).toContain('vms.1.encryptWith: unknown key provider "Other-KMS"');
  });

  it('refuses duplicate ids, a running VM on a host that is off, and a disk that is not whole sectors', () => {
    const input = validInput();
    input.hosts[1]!.id = 'esx-01';
    input.hosts[2]!.power = 'off';
    input.vms[0]!.diskSizeBytes = 4 * 1024 * 1024 + 1;
    const problems = problemsOf(input);
    expect(problems).toContain('hosts.1.id: duplicate host id "esx-01"');
    expect(problems).toContain('vms.2.power: VM "app-01" cannot run on host "esx-03.lab.local", which is off');
    expect(problems).toContain('vms.0.diskSizeBytes: a disk size must be a multiple of 4 KiB');
  });

  it('refuses data that is not a scenario at all', () => {
    expect(() => parseScenario('hello')).toThrow(ScenarioError);
    expect(() => parseScenario(null)).toThrow(/not valid/);
  });
});
