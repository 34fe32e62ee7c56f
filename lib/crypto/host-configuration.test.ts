// The host configuration's crypto: an archive opens only with its key and on its own host, a TPM's seal only with
// that TPM, and the recovery key round-trips through its sixteen groups, a mistyped group caught before any decryption.
import { describe, expect, it } from 'vitest';
import { WrongKeyError } from './errors';
import {
  importConfigurationKey,
  newConfigurationKey,
  newTpmSealingKey,
  openConfiguration,
  parseRecoveryKey,
  recoveryKeyText,
  sealConfiguration,
  sealToTpm,
  unsealFromTpm,
} from './host-configuration';

const secret = { keyId: 'kdk-1', providerId: 'NKP-1', fingerprint: 'ab:cd', kdk: crypto.getRandomValues(new Uint8Array(32)) };

describe('host configuration', () => {
  it('opens with its key on its host; another key, another host or an altered byte is refused', async () => {
    const key = await newConfigurationKey();
    const archive = await sealConfiguration([secret], key, 'esx-01');
    expect(await openConfiguration(archive, key, 'esx-01')).toEqual([secret]);
    await expect(openConfiguration(archive, await newConfigurationKey(), 'esx-01')).rejects.toBeInstanceOf(WrongKeyError);
    await expect(openConfiguration(archive, key, 'esx-02')).rejects.toBeInstanceOf(WrongKeyError);
    const bytes = Uint8Array.from(atob(archive), (c) => c.charCodeAt(0));
    bytes[bytes.length - 1]! ^= 1;
    await expect(openConfiguration(btoa(String.fromCharCode(...bytes)), key, 'esx-01')).rejects.toBeInstanceOf(WrongKeyError);
  });

  it('a TPM seal opens only with that TPM’s key, which cannot be read out', async () => {
    const key = await newConfigurationKey();
    const tpm = await newTpmSealingKey();
    expect(tpm.extractable).toBe(false);
    const sealed = await sealToTpm(key, tpm);
    const unsealed = await unsealFromTpm(sealed, tpm);
    const archive = await sealConfiguration([secret], key, 'esx-01');
    expect(await openConfiguration(archive, unsealed, 'esx-01')).toEqual([secret]);
    await expect(unsealFromTpm(sealed, await newTpmSealingKey())).rejects.toBeInstanceOf(WrongKeyError);
    await expect(crypto.subtle.exportKey('raw', tpm)).rejects.toThrow();
  });

  it('the recovery key is the configuration key in sixteen checked groups; a typo is named, the right key opens the archive', async () => {
    const key = await newConfigurationKey();
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));
    const text = recoveryKeyText(raw);
    expect(text).toMatch(/^(\d{6}-){15}\d{6}$/);
    const parsed = parseRecoveryKey(` ${text} `);
    expect('raw' in parsed && parsed.raw).toEqual(raw);
    const archive = await sealConfiguration([secret], key, 'esx-01');
    expect(await openConfiguration(archive, await importConfigurationKey(raw), 'esx-01')).toEqual([secret]);

    const groups = text.split('-');
    groups[3] = String((Number(groups[3]) + 1) % 1_000_000).padStart(6, '0');
    expect(parseRecoveryKey(groups.join('-'))).toEqual({ problem: expect.stringMatching(/^Group 4 .* typo/) });
    expect(parseRecoveryKey('123-456')).toEqual({ problem: expect.stringMatching(/16 groups/) });
  });
});
