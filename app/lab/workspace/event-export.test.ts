// The event export an auditor receives: the same rows as the console, CSV quoted as RFC 4180 wants, and cells a
// spreadsheet would run as formulas kept as text.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@/machines/lab-types';
import { exportRows, toCsv, toJson } from './event-export';

const event = (over: Partial<LabEvent>): LabEvent => ({
  id: 1,
  time: 65_000,
  eventTypeId: 'com.vmware.vc.crypto.Operation',
  severity: 'info',
  user: 'administrator@vsphere.local',
  objectId: 'db-01',
  keyId: '1a2b3c4d-0000-4000-8000-000000000001',
  operation: 'Encrypt',
  message: 'VM db-01 encrypted.',
  ...over,
});

describe('event export', () => {
  it('names objects, keeps ids and formats lab time', () => {
    const rows = exportRows([event({})], (id) => (id === 'db-01' ? 'db-01 (vm)' : undefined));
    expect(rows).toEqual([
      {
        labTime: '0:01:05',
        labTimeMs: 65_000,
        user: 'administrator@vsphere.local',
        eventTypeId: 'com.vmware.vc.crypto.Operation',
        severity: 'info',
        object: 'db-01 (vm)',
        objectId: 'db-01',
        keyId: '1a2b3c4d-0000-4000-8000-000000000001',
        operation: 'Encrypt',
        message: 'VM db-01 encrypted.',
      },
    ]);
    expect(JSON.parse(toJson(rows))).toEqual(rows);
  });

  it('quotes commas, quotes and line breaks, and keeps formula-like cells as text', () => {
    const rows = exportRows(
      [event({ message: 'Lab "x" built: 3 host(s),\n2 VMs' }), event({ id: 2, message: '=HYPERLINK("http://evil")', keyId: null, objectId: null, operation: null })],
      () => undefined,
    );
    const lines = toCsv(rows).split('\r\n');
    expect(lines[0]).toBe('Lab time,User,Event type,Severity,Object,Key ID,Operation,Message');
    expect(toCsv(rows)).toContain('"Lab ""x"" built: 3 host(s),\n2 VMs"');
    expect(toCsv(rows)).toContain(`,,,"'=HYPERLINK(""http://evil"")"`);
    expect(toCsv(rows).endsWith('\r\n')).toBe(true);
  });
});
