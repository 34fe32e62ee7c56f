import { describe, expect, it } from 'vitest';
import { expectRefused, kmsKeyLocator } from './test-support';
import { parseVmdkDescriptor, renderVmdkDescriptor, VmwareFormatError, type VmdkDescriptor } from './vmdk-descriptor';

const plain: VmdkDescriptor = { diskId: 'disk-db-01-0', sizeBytes: 4 * 1024 * 1024, flatFile: 'db-01-flat.vmdk', encryptionKeys: null };
const encrypted: VmdkDescriptor = {
  ...plain,
  encryptionKeys: kmsKeyLocator(60, 1),
};

const expectBad = (text: string, fragment: RegExp) => expectRefused(parseVmdkDescriptor, 'BAD_VMDK_DESCRIPTOR', text, fragment);

describe('disk descriptor', () => {
  it('looks like the one ESXi writes', () => {
    const text = renderVmdkDescriptor(encrypted);
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['# Disk DescriptorFile', 'version=1', 'encoding="UTF-8"']);
    expect(lines[3]).toMatch(/^CID=[0-9a-f]{8}$/);
    expect(lines.slice(4, 7)).toEqual(['parentCID=ffffffff', 'createType="vmfs"', `encryptionKeys="${encrypted.encryptionKeys}"`]);
    expect(text).toContain('\n# Extent description\nRW 8192 VMFS "db-01-flat.vmdk"\n');
    expect(text).toContain('\n# The Disk Data Base\n#DDB\n\nddb.adapterType = "lsilogic"\n');
    expect(text).toContain('ddb.geometry.cylinders = "4"\nddb.geometry.heads = "64"\nddb.geometry.sectors = "32"\n');
    expect(text).toContain('ddb.keylab.diskId = "disk-db-01-0"\n');
    expect(text).toMatch(/\nddb\.uuid = "([0-9a-f]{2} ){7}[0-9a-f]{2}-([0-9a-f]{2} ){7}[0-9a-f]{2}"\n/);
    expect(text).toMatch(/\nddb\.longContentID = "[0-9a-f]{32}"\n/);
    expect(text.endsWith('ddb.virtualHWVersion = "21"\n')).toBe(true);
    expect(renderVmdkDescriptor(plain)).not.toContain('encryptionKeys');
  });

  it('round-trips exactly', () => {
    for (const d of [plain, encrypted, { ...plain, sizeBytes: 2 * 1024 ** 4, diskId: 'ü' }]) {
      const text = renderVmdkDescriptor(d);
      expect(parseVmdkDescriptor(text)).toEqual(d);
      expect(renderVmdkDescriptor(parseVmdkDescriptor(text))).toBe(text);
    }
  });

  it('gives different disks different cosmetic IDs', () => {
    const cid = (d: VmdkDescriptor) => /CID=(\w+)/.exec(renderVmdkDescriptor(d))?.[1];
    expect(cid(plain)).not.toBe(cid({ ...plain, diskId: 'disk-web-01-0' }));
  });

  it('keeps unknown lines in extra', () => {
    const text = renderVmdkDescriptor(plain)
      .replace('createType="vmfs"\n', 'createType="vmfs"\nisNativeSnapshot="no"\n')
      .replace('ddb.adapterType = "lsilogic"', 'ddb.adapterType = "pvscsi"')
      .replace('ddb.thinProvisioned = "1"', 'ddb.thinProvisioned = "1"\nddb.toolsVersion = "12352"');
    const d = parseVmdkDescriptor(text);
    expect(d).toEqual({ ...plain, extra: { isNativeSnapshot: '"no"', 'ddb.adapterType': 'pvscsi', 'ddb.toolsVersion': '12352' } });
    expect(renderVmdkDescriptor(d)).toBe(text);
    // ESXi keeps the disk database sorted, so a hand-placed line moves to its sorted place and nothing else changes.
    const unsorted = text.replace('ddb.thinProvisioned = "1"\nddb.toolsVersion = "12352"', 'ddb.thinProvisioned = "1"');
    const moved = parseVmdkDescriptor(unsorted.replace('#DDB\n', '#DDB\nddb.toolsVersion = "12352"\n'));
    expect(renderVmdkDescriptor(moved)).toBe(text);
  });

  it('refuses broken descriptors clearly', () => {
    const good = renderVmdkDescriptor(plain);
    expectBad('hello', /neither key=value nor an extent line/);
    expectBad(good.replace('version=1\n', ''), /no "version=1" line/);
    expectBad(good.replace('version=1', 'version=3'), /only version=1/);
    expectBad(good.replace('"vmfs"', '"vmfsSparse"'), /flat VMFS disks/);
    expectBad(good.replace(/RW .*\n/, ''), /exactly one extent line, found 0/);
    expectBad(good.replace(/(RW .*\n)/, '$1$1'), /found 2/);
    expectBad(good.replace('RW 8192', 'RDONLY 8192'), /read-write/);
    expectBad(good.replace(/ddb.keylab.diskId.*\n/, ''), /ddb.keylab.diskId is missing/);
    expectBad(good.replace('ddb.thinProvisioned = "1"', 'ddb.thinProvisioned = 1'), /double quotes/);
    expectBad(`${good}parentCID=ffffffff\n`, /repeats the key "parentCID"/);
  });

  it('refuses to render impossible descriptors', () => {
    expect(() => renderVmdkDescriptor({ ...plain, sizeBytes: 1000 })).toThrow(/multiple of 512/);
    expect(() => renderVmdkDescriptor({ ...plain, flatFile: 'a/b-flat.vmdk' })).toThrow(/flatFile/);
    expect(() => renderVmdkDescriptor({ ...plain, encryptionKeys: 'a"b' })).toThrow(/encryptionKeys/);
    expect(() => renderVmdkDescriptor({ ...plain, extra: { createType: '"x"' } })).toThrow(/extra sets "createType"/);
    expect(() => renderVmdkDescriptor({ ...plain, diskId: '' })).toThrow(VmwareFormatError);
  });
});
