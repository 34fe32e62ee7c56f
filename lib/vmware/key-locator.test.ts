import { describe, expect, it } from 'vitest';
import { formatKeyLocator, parseKeyLocator, VmwareFormatError, type KeyLocator } from './key-locator';
import { KEY_ID, expectRefused } from './test-support';

const expectBad = (text: string, fragment: RegExp) => expectRefused(parseKeyLocator, 'BAD_KEY_LOCATOR', text, fragment);

describe('key locator', () => {
  it("writes VMware's form", () => {
    const s = formatKeyLocator({ providerId: 'KMS-Cluster', keyId: KEY_ID, wrappedKey: new Uint8Array([1, 2, 3, 250]) });
    expect(s).toBe(`vmware:key/list/(pair/(fqid/<VMWARE-NULL>/KMS-Cluster/${KEY_ID},HMAC-SHA-256,AQID+g==))`);
  });

  it('round-trips, including an empty wrapped key', () => {
    for (const wrappedKey of [new Uint8Array(0), crypto.getRandomValues(new Uint8Array(72)), new Uint8Array(5000).fill(7)]) {
      const l: KeyLocator = { providerId: 'NKP-01', keyId: KEY_ID, wrappedKey };
      const s = formatKeyLocator(l);
      expect(parseKeyLocator(s)).toEqual(l);
      expect(formatKeyLocator(parseKeyLocator(s))).toBe(s);
    }
  });

  it('percent-encodes delimiters in names and decodes them back', () => {
    const l: KeyLocator = { providerId: 'KMS/A,B (prod) 100% ü', keyId: 'id/with,comma', wrappedKey: new Uint8Array([9]) };
    const s = formatKeyLocator(l);
    expect(s).toContain('fqid/<VMWARE-NULL>/KMS%2FA%2CB%20%28prod%29%20100%25%20%C3%BC/id%2Fwith%2Ccomma,');
    expect(parseKeyLocator(s)).toEqual(l);
  });

  it('refuses damaged locators with a clear message', () => {
    const good = formatKeyLocator({ providerId: 'KMS-Cluster', keyId: KEY_ID, wrappedKey: new Uint8Array([1, 2, 3]) });
    expectBad('', /start with "vmware:key\/list\/\("/);
    expectBad(good.slice(0, -2), /end with "\)\)".*cut short/);
    expectBad(good.replace('HMAC-SHA-256', 'HMAC-MD5'), /MAC algorithm "HMAC-SHA-256"/);
    expectBad(good.replace('<VMWARE-NULL>', 'server'), /fqid\/<VMWARE-NULL>\//);
    expectBad(good.replace('KMS-Cluster', 'KMS/Cluster'), /%2F/);
    expectBad(good.replace('KMS-Cluster/', '/'), /provider name is empty/);
    expectBad(good.replace('AQID', 'AQ!D'), /not valid base64/);
    expectBad(good.replace('KMS-Cluster', 'KMS%zz'), /broken percent-escape/);
    expectBad(good.replace('KMS-Cluster', 'KMS Cluster'), /percent-encoded/);
    expectBad(good.replace(',HMAC', ',x,HMAC'), /three comma-separated fields/);
    expectBad(good.replace('))', '),pair/(fqid/<VMWARE-NULL>/a/b,HMAC-SHA-256,))'), /lists 2 keys/);
    expectBad(`${good})`, /parentheses/);
  });

  it('refuses to write a locator without a provider or key ID', () => {
    expect(() => formatKeyLocator({ providerId: '', keyId: KEY_ID, wrappedKey: new Uint8Array() })).toThrow(VmwareFormatError);
    expect(() => formatKeyLocator({ providerId: 'p', keyId: '', wrappedKey: new Uint8Array() })).toThrow(/key ID is empty/);
  });
});
