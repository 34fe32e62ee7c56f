// The datacenter benchmark at a small size: every phase runs, and the re-key really changed every VM's key.
import { describe, expect, it } from 'vitest';
import { newTestDb } from './lab-test-support';
import { runDatacenterBench } from './bench-datacenter';

describe('runDatacenterBench', () => {
  it('builds, re-keys all VMs and restores the saved lab, reporting each time', async () => {
    const lines: string[] = [];
    const result = await runDatacenterBench(newTestDb('bench'), (l) => lines.push(l), { hosts: 4, vms: 24 });
    expect(result).toMatchObject({ hosts: 4, vms: 24 });
    for (const ms of [result.buildMs, result.shallowRekeyAllMs, result.restoreMs]) expect(ms).toBeGreaterThan(0);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/shallow re-key of 24 VMs/);
  });
});
