// The wire view's rows: names for enumerations, the key hidden until revealed.
import { describe, expect, it } from 'vitest';
import { encodeResponse } from './messages';
import { SAMPLE_RESPONSES } from './sample-messages';
import { decodeTtlv } from './ttlv-decode';
import { wireRows } from './wire-tree';

describe('wire view rows', () => {
  const get = SAMPLE_RESPONSES.find(([label]) => label === 'Get')![1];
  const tree = decodeTtlv(encodeResponse(get));
  if (!tree.ok) throw tree.error;

  it('names tags, types and enumeration values, and masks Key Material', () => {
    const rows = wireRows(tree.value);
    expect(rows[0]).toMatchObject({ depth: 0, tagLabel: 'Response Message', typeLabel: 'Structure', value: '' });
    expect(rows.find((r) => r.tagLabel === 'Operation')?.value).toBe('Get (0x0000000a)');
    expect(rows.find((r) => r.tagLabel === 'Time Stamp')?.value).toMatch(/^2025-12-06T\d\d:\d\d:\d\dZ \(1765000000\)$/);
    const key = rows.find((r) => r.tagLabel === 'Key Material')!;
    expect(key).toMatchObject({ masked: true, value: '•••• 32 bytes, hidden', depth: 6 });
  });

  it('shows the key bytes only when asked', () => {
    const key = wireRows(tree.value, { revealKeyMaterial: true }).find((r) => r.tagLabel === 'Key Material')!;
    const material = get.batchItems[0]!.operation === 'Get' ? get.batchItems[0]!.payload!.symmetricKey.keyMaterial : new Uint8Array();
    expect(key).toMatchObject({ masked: false, value: Buffer.from(material).toString('hex') });
  });
});
