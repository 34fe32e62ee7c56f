// Scenario links: a round trip gives the same scenario; a 10-host, 50-VM scenario with a five-step lesson stays under
// 2,000 characters; a broken, cut-off, changed, oversized (zip bomb) or newer link is refused with a message naming
// what is wrong, never a parser's words. The JSON file carries the same scenario with the same checks.
import { sha256 } from '@noble/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '@/lib/base64';
import { classroomInput, doomsdayInput } from './sample-scenarios';
import { ScenarioLinkError, decodeScenarioFragment, encodeScenarioFragment, scenarioLink, type ScenarioLinkCode } from './scenario-link';
import { scenarioFileName, scenarioFileText, scenarioFromFile } from './scenario-file';
import { readScenario } from './scenario-v2';

const b64url = (bytes: Uint8Array) => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function refusal(fragment: string): Promise<ScenarioLinkError> {
  try {
    await decodeScenarioFragment(fragment);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioLinkError);
    return error as ScenarioLinkError;
  }
  throw new Error('expected the link to be refused');
}

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
}

/** A link body made by hand: header fields as given, then the deflated bytes. */
async function handMade(json: Uint8Array, opts: { format?: number; length?: number; check?: Uint8Array; body?: Uint8Array } = {}): Promise<string> {
  const body = opts.body ?? (await deflateRaw(json));
  const out = new Uint8Array(9 + body.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, opts.format ?? 1);
  view.setUint32(1, opts.length ?? json.length);
  out.set(opts.check ?? sha256(json).subarray(0, 4), 5);
  out.set(body, 9);
  return `s=${b64url(out)}`;
}

describe('scenario links', () => {
  it('round-trips a scenario and the learner seed', async () => {
    const scenario = readScenario(doomsdayInput());
    const fragment = await encodeScenarioFragment(scenario, 'learner-7');
    const decoded = await decodeScenarioFragment(`#${fragment}`);
    expect(decoded.scenario).toEqual(scenario);
    expect(decoded.learnerSeed).toBe('learner-7');
    expect((await decodeScenarioFragment(await encodeScenarioFragment(scenario))).learnerSeed).toBeNull();
  });

  it('keeps a 10-host, 50-VM scenario with a five-step lesson under 2,000 characters', async () => {
    const scenario = readScenario(classroomInput());
    expect(scenario.world.hosts).toHaveLength(10);
    expect(scenario.world.vms).toHaveLength(50);
    expect(scenario.steps).toHaveLength(5);
    const link = await scenarioLink('https://keylab.example', scenario, 'learner-42');
    const json = JSON.stringify(scenario).length;
    console.log(`scenario link (10 hosts, 50 VMs, 5 steps): ${link.length} characters for ${json} characters of JSON`);
    expect(link.length).toBeLessThan(2000);
    expect((await decodeScenarioFragment(new URL(link).hash)).scenario).toEqual(scenario);
  });

  it('names a link with nothing after the #, or without a scenario', async () => {
    expect((await refusal('')).code).toBe('EMPTY');
    expect((await refusal('#/vm/db-01')).code).toBe('NOT_A_SCENARIO_LINK');
    expect((await refusal('#s=')).code).toBe('TRUNCATED');
  });

  it('names a cut-off link wherever it was cut', async () => {
    const fragment = await encodeScenarioFragment(readScenario(classroomInput()));
    const codes = new Set<ScenarioLinkCode>();
    for (const keep of [3, 10, 11, 40, Math.floor(fragment.length / 2), fragment.length - 7, fragment.length - 1]) {
      const error = await refusal(fragment.slice(0, keep));
      codes.add(error.code);
      expect(error.message).toMatch(/cut off/);
    }
    expect([...codes]).toEqual(['TRUNCATED']);
  });

  it('names a changed link: a flipped character is damaged or changed, never opened as something else', async () => {
    const scenario = readScenario(doomsdayInput());
    const fragment = await encodeScenarioFragment(scenario);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 2; i < fragment.length; i += 7) {
      const c = fragment[i]!;
      const other = alphabet[(alphabet.indexOf(c) + 17) % alphabet.length]!;
      const error = await refusal(fragment.slice(0, i) + other + fragment.slice(i + 1));
      expect(['DAMAGED', 'TAMPERED', 'TRUNCATED', 'TOO_LARGE', 'NEWER']).toContain(error.code);
      expect(error.message).not.toMatch(/TypeError|Unexpected token|JSON|undefined/);
    }
  });

  it('names a link whose scenario was changed and its check not', async () => {
    const json = new TextEncoder().encode(JSON.stringify(readScenario(doomsdayInput())));
    const edited = new TextEncoder().encode(JSON.stringify({ ...readScenario(doomsdayInput()), title: 'vCenter is fine' }));
    const error = await refusal(await handMade(edited, { check: sha256(json).subarray(0, 4) }));
    expect(error.code).toBe('TAMPERED');
    expect(error.message).toMatch(/changed after it was made/);
  });

  it('refuses a zip bomb: a link that inflates past the cap, whatever its header claims', async () => {
    const bomb = new Uint8Array(8 * 1024 * 1024).fill(0x20);
    const body = await deflateRaw(bomb);
    expect(body.length).toBeLessThan(20_000);
    const claimed = await refusal(await handMade(bomb, { body }));
    expect(claimed.code).toBe('TOO_LARGE');
    const lying = await refusal(await handMade(bomb, { body, length: 1000 }));
    expect(lying.code).toBe('TOO_LARGE');
    expect(lying.message).toMatch(/more than the 1,000 bytes it says it holds/);
    expect((await refusal(`s=${'A'.repeat(600_000)}`)).code).toBe('TOO_LARGE');
  });

  it('names a link from a newer keylab, by its link format or its scenario version', async () => {
    const json = new TextEncoder().encode('{}');
    expect((await refusal(await handMade(json, { format: 2 }))).code).toBe('NEWER');
    const v3 = new TextEncoder().encode(JSON.stringify({ ...readScenario(doomsdayInput()), version: 3 }));
    const error = await refusal(await handMade(v3));
    expect(error.code).toBe('NEWER');
    expect(error.message).toMatch(/newer keylab \(format version 3\)/);
  });

  it('names a link that unpacks to something that is not a valid scenario, with its problems', async () => {
    const notJson = await refusal(await handMade(new TextEncoder().encode('{"version": 2, "title"')));
    expect(notJson.code).toBe('INVALID');
    expect(notJson.message).toMatch(/not readable/);
    const broken = { ...readScenario(doomsdayInput()), prelude: [{ kind: 'command', command: { type: 'host.reboot', hostId: 'esx-42' } }] };
    const invalid = await refusal(await handMade(new TextEncoder().encode(JSON.stringify(broken))));
    expect(invalid.code).toBe('INVALID');
    expect(invalid.problems).toEqual(['prelude.0.command.hostId: unknown host "esx-42"']);
    expect(invalid.message).toMatch(/^This link holds a scenario keylab cannot use/);
  });

  it('names a damaged learner seed and characters a link never has', async () => {
    const fragment = await encodeScenarioFragment(readScenario(doomsdayInput()));
    expect((await refusal(`${fragment}&learner=<script>`)).code).toBe('DAMAGED');
    expect((await refusal(fragment.replace(/.$/, '%'))).code).toBe('DAMAGED');
  });
});

describe('scenario files', () => {
  it('export and import give the same scenario; the name comes from the title', () => {
    const scenario = readScenario(classroomInput());
    const bytes = new TextEncoder().encode(scenarioFileText(scenario));
    expect(scenarioFromFile(bytes)).toEqual(scenario);
    expect(scenarioFileName(scenario)).toBe('keylab-scenario-migrate-the-class-cluster-to-nkp.json');
  });

  it('imports a version-1 file, migrated', () => {
    const v1 = { version: 1, title: 'Old lab', vcenter: { name: 'vc', datacenter: 'dc', cluster: 'cl' }, kmsNodes: [], standardProviders: [], hosts: [{ id: 'h1', name: 'h1', hasTpm: true }], datastores: [{ id: 'd1', name: 'd1', capacityBytes: 1 << 20 }], vms: [] };
    expect(scenarioFromFile(new TextEncoder().encode(JSON.stringify(v1))).version).toBe(2);
  });

  it('refuses a file that is too large, not text, not JSON, or not a scenario, saying which', () => {
    const code = (bytes: Uint8Array) => {
      try {
        scenarioFromFile(bytes);
      } catch (error) {
        return [(error as ScenarioLinkError).code, (error as Error).message];
      }
      return null;
    };
    expect(code(new Uint8Array(2 * 1024 * 1024))?.[0]).toBe('TOO_LARGE');
    expect(code(new Uint8Array([0xff, 0xfe, 0x00]))).toEqual(['INVALID', 'This file is not a keylab scenario: it is not text.']);
    expect(code(new TextEncoder().encode('hello'))).toEqual(['INVALID', 'This file is not a keylab scenario: it is not JSON.']);
    expect(code(new TextEncoder().encode('{"title":"x"}'))?.[1]).toMatch(/not a keylab scenario: its format version is missing/);
  });
});
