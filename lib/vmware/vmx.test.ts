import { describe, expect, it } from 'vitest';
import { expectRefused, kmsKeyLocator } from './test-support';
import { parseVmx, renderVmx, VmwareFormatError, type VmxModel } from './vmx';

const plain: VmxModel = {
  displayName: 'db-01',
  guestOS: 'rhel9-64',
  memSizeMB: 4096,
  numvcpus: 2,
  vtpm: false,
  disks: ['db-01.vmdk'],
  keySafe: null,
  encryptedData: null,
  extra: {},
};

const encrypted: VmxModel = {
  ...plain,
  vtpm: true,
  disks: ['db-01.vmdk', 'db-01_1.vmdk'],
  keySafe: kmsKeyLocator(48, 3),
  encryptedData: 'c2VjcmV0IGNvbmZpZw==',
  extra: { 'uuid.bios': '42 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8', annotation: 'Owner: DBA team\nsays "hi" | bye' },
};

const expectBad = (text: string, fragment: RegExp) => expectRefused(parseVmx, 'BAD_VMX', text, fragment);

describe('.vmx', () => {
  it('looks like a file vSphere wrote', () => {
    expect(renderVmx(plain)).toBe(
      [
        '.encoding = "UTF-8"',
        'config.version = "8"',
        'virtualHW.version = "21"',
        'nvram = "db-01.nvram"',
        'displayName = "db-01"',
        'guestOS = "rhel9-64"',
        'memSize = "4096"',
        'numvcpus = "2"',
        'scsi0.present = "TRUE"',
        'scsi0.virtualDev = "pvscsi"',
        'scsi0:0.present = "TRUE"',
        'scsi0:0.fileName = "db-01.vmdk"',
        'scsi0:0.deviceType = "scsi-hardDisk"',
        '',
      ].join('\n'),
    );
  });

  it('writes the vTPM, its UEFI firmware and the encryption keys', () => {
    const text = renderVmx(encrypted);
    expect(text).toContain('firmware = "efi"\n');
    expect(text).toContain('vtpm.present = "TRUE"\n');
    expect(text).toContain('scsi0:1.fileName = "db-01_1.vmdk"\n');
    expect(text).toContain(`encryption.keySafe = "${encrypted.keySafe}"\n`);
    expect(text).toContain('encryption.data = "c2VjcmV0IGNvbmZpZw=="\n');
    // VMware's |XX escapes keep quotes and newlines inside one quoted value.
    expect(text).toContain('annotation = "Owner: DBA team|0Asays |22hi|22 |7C bye"\n');
  });

  it('round-trips model -> text -> model and text -> model -> text', () => {
    for (const m of [plain, encrypted, { ...plain, disks: [] }]) {
      const text = renderVmx(m);
      expect(parseVmx(text)).toEqual(m);
      expect(renderVmx(parseVmx(text))).toBe(text);
    }
  });

  it('keeps unknown keys and values that differ from the defaults in extra', () => {
    const text = [
      '.encoding = "UTF-8"',
      'config.version = "8"',
      'virtualHW.version = "19"',
      'displayName = "web-01"',
      'guestOS = "ubuntu-64"',
      'memSize = "2048"',
      'numVCPUs = "1"',
      'ethernet0.present = "TRUE"',
      'ethernet0.virtualDev = "vmxnet3"',
      'scsi0.present = "TRUE"',
      'scsi0.virtualDev = "lsilogic"',
      'scsi0:0.present = "TRUE"',
      'scsi0:0.fileName = "web-01.vmdk"',
      'scsi0:1.present = "TRUE"',
      'scsi0:1.deviceType = "cdrom-image"',
      'scsi0:1.fileName = "/vmfs/volumes/iso/ubuntu.iso"',
      'scsi0:2.present = "TRUE"',
      'scsi0:2.fileName = "web-01_1.vmdk"',
      'scsi0:2.mode = "independent-persistent"',
      '',
    ].join('\r\n');
    const m = parseVmx(text);
    expect(m).toMatchObject({ displayName: 'web-01', guestOS: 'ubuntu-64', memSizeMB: 2048, numvcpus: 1, vtpm: false });
    expect(m.disks).toEqual(['web-01.vmdk', 'web-01_1.vmdk']);
    expect(m.extra).toEqual({
      'virtualHW.version': '19',
      'ethernet0.present': 'TRUE',
      'ethernet0.virtualDev': 'vmxnet3',
      'scsi0.virtualDev': 'lsilogic',
      'scsi0:1.present': 'TRUE',
      'scsi0:1.deviceType': 'cdrom-image',
      'scsi0:1.fileName': '/vmfs/volumes/iso/ubuntu.iso',
      'scsi0:2.mode': 'independent-persistent',
    });
    // The CD-ROM keeps its slot, so the second disk stays in scsi0:2 with its mode.
    const again = renderVmx(m);
    expect(again).toContain('virtualHW.version = "19"\n');
    expect(again).toContain('scsi0:2.fileName = "web-01_1.vmdk"\n');
    expect(parseVmx(again)).toEqual(m);
  });

  it('ignores comments and blank lines', () => {
    const m = parseVmx(`# made by hand\n\ndisplayName = "x"\nguestOS = "other"\nmemSize = "64"\nnumvcpus = "1"\n`);
    expect(m).toEqual({ ...plain, displayName: 'x', guestOS: 'other', memSizeMB: 64, numvcpus: 1, disks: [] });
  });

  it('refuses broken files with the line or key at fault', () => {
    const base = 'displayName = "x"\nguestOS = "other"\nmemSize = "64"\nnumvcpus = "1"\n';
    expectBad('guestOS = "other"\nmemSize = "64"\nnumvcpus = "1"\n', /displayName is missing/);
    expectBad(`${base}oops\n`, /line 5 is not of the form key = "value"/);
    expectBad(`${base}memsize = "12"\n`, /line 5 repeats the key "memsize"/);
    expectBad(base.replace('"64"', '"lots"'), /memSize must be a positive whole number/);
    expectBad(base.replace('"1"', '"0"'), /numvcpus must be a positive whole number/);
    expectBad(`${base}vtpm.present = "maybe"\n`, /vtpm.present must be "TRUE" or "FALSE"/);
    expectBad(`${base}annotation = "a"b"\n`, /bare quote/);
    expectBad(`${base}displayName = unquoted\n`, /line 5/);
  });

  it('refuses to render a model that contradicts itself', () => {
    expect(() => renderVmx({ ...plain, extra: { memsize: '1' } })).toThrow(/extra sets "memSize"/);
    expect(() => renderVmx({ ...plain, extra: { 'encryption.keySafe': 'x' } })).toThrow(/encryption.keySafe/);
    expect(() => renderVmx({ ...plain, extra: { 'bad key': 'x' } })).toThrow(/not a valid .vmx key/);
    expect(() => renderVmx({ ...plain, extra: { 'scsi0:3.present': 'TRUE', 'scsi0:3.fileName': 'x.vmdk' } })).toThrow(
      /list it in disks/,
    );
    expect(() => renderVmx({ ...plain, memSizeMB: 1.5 })).toThrow(VmwareFormatError);
    expect(() => renderVmx({ ...plain, disks: Array.from({ length: 61 }, (_, i) => `d${i}.vmdk`) })).toThrow(/SCSI slots/);
  });

  it('spreads many disks over SCSI slots, skipping unit 7', () => {
    const disks = Array.from({ length: 16 }, (_, i) => `d${i}.vmdk`);
    const text = renderVmx({ ...plain, disks });
    expect(text).not.toContain('scsi0:7.');
    expect(text).toContain('scsi0:15.fileName = "d14.vmdk"');
    expect(text).toContain('scsi1.present = "TRUE"');
    expect(text).toContain('scsi1:0.fileName = "d15.vmdk"');
    expect(parseVmx(text).disks).toEqual(disks);
  });
});
