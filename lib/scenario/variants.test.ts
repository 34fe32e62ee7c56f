// Variants: the same scenario and learner seed always give the same concrete scenario (an instructor rebuilds any
// learner's world from the seed); different learners get different names, TPM-less host, failing KMS node and guest
// data; every name is changed everywhere it appears, so the concrete scenario is itself valid.
import { describe, expect, it } from 'vitest';
import { classroomInput, doomsdayInput } from './sample-scenarios';
import { readScenario, type ScenarioV2 } from './scenario-v2';
import { concreteScenario, stableJson, variantKey } from './variants';

const classroom = () => readScenario(classroomInput());
const tpmless = (s: ScenarioV2) => s.world.hosts.filter((h) => !h.hasTpm).map((h) => h.id);
const failing = (s: ScenarioV2) => s.prelude.flatMap((p) => (p.kind === 'command' && p.command.type === 'kms.hang' ? [p.command.kmsId] : []));

describe('per-learner variants', () => {
  it('is deterministic: the same seed gives the same scenario, and the instructor rebuilds it from the seed alone', () => {
    const a = concreteScenario(classroom(), 'ada');
    const b = concreteScenario(readScenario(JSON.parse(JSON.stringify(classroomInput()))), 'ada');
    expect(b).toEqual(a);
    expect(variantKey(classroom(), 'ada')).toBe(variantKey(classroom(), 'ada'));
    expect(variantKey(classroom(), 'ada')).not.toBe(variantKey(classroom(), 'alan'));
  });

  it('does not change the scenario it is given', () => {
    const s = classroom();
    const before = stableJson(s);
    concreteScenario(s, 'ada');
    expect(stableJson(s)).toBe(before);
  });

  it('gives learners different names, TPM-less hosts, failing nodes and guest data', () => {
    const seeds = Array.from({ length: 12 }, (_, i) => `learner-${i}`);
    const variants = seeds.map((seed) => concreteScenario(classroom(), seed));
    expect(new Set(variants.map((v) => v.world.vms[0]!.id)).size).toBeGreaterThan(6);
    expect(new Set(variants.map((v) => v.world.hosts[0]!.name)).size).toBeGreaterThan(6);
    expect(new Set(variants.map((v) => v.world.hosts.findIndex((h) => !h.hasTpm))).size).toBeGreaterThan(3);
    expect(new Set(variants.map((v) => v.world.kmsNodes.findIndex((k) => k.id === failing(v)[0])))).toEqual(new Set([0, 1]));
    expect(new Set(variants.map((v) => v.world.vms[0]!.guestFiles[0]!.text)).size).toBe(12);
  });

  it('makes exactly one host TPM-less and one KMS node fail, and fills every placeholder', () => {
    const v = concreteScenario(classroom(), 'grace');
    expect(tpmless(v)).toHaveLength(1);
    expect(failing(v)).toHaveLength(1);
    expect(v.world.kmsNodes.map((k) => k.id)).toContain(failing(v)[0]);
    expect(v.world.vms.every((vm) => vm.guestFiles.every((f) => !f.text.includes('{{')))).toBe(true);
    expect(v.world.vms[0]!.guestFiles[0]!.text).toMatch(/^Owner: [A-Z][a-z]+ [A-Z][a-z]+\nCost centre: \d{4}\n$/);
    expect(v.variation).toBeUndefined();
  });

  it('renames every mention: world, prelude, briefing and steps, and the result is a valid scenario', () => {
    const input = doomsdayInput();
    input.variation = { names: true };
    input.prelude!.push({ kind: 'command', command: { type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'db-01', hostId: 'esx-02' } });
    const v = concreteScenario(readScenario(input), 'edsger');
    const db = v.world.vms[0]!;
    const host = v.world.hosts.find((h) => h.id === db.hostId)!;
    expect(db.id).toMatch(/^db-\d+$/);
    expect(db.id).not.toBe('db-01');
    expect(host.name).toMatch(new RegExp(`^${host.id}\\.[a-z]+\\.local$`));
    expect(v.briefing).toContain(`${db.id} and`);
    expect(v.briefing).toContain(host.id);
    expect(v.briefing).not.toMatch(/\bdb-01\b|\besx-01\b/);
    const commands = v.prelude.flatMap((p) => (p.kind === 'command' ? [p.command] : []));
    expect(commands).toContainEqual({ type: 'vm.encrypt', vmId: db.id });
    expect(commands).toContainEqual(expect.objectContaining({ type: 'vm.register', folder: db.name }));
    expect(readScenario(JSON.parse(JSON.stringify(v)))).toEqual(v);
  });

  it('without a variation keeps the world as written, with an id seed of the learner’s own', () => {
    const s = readScenario(doomsdayInput());
    const v = concreteScenario(s, 'ada');
    expect(v.world).toEqual(s.world);
    expect(v.prelude).toEqual(s.prelude);
    expect(v.seed).not.toBe(concreteScenario(s, 'alan').seed);
    expect(concreteScenario(s, null).seed).toBe(s.seed);
  });
});
