// The VM statechart: a long disk operation is an invoked promise actor; a restored snapshot finds it interrupted.
import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { registerDiskJob } from './disk-jobs';
import { vmMachine, type VmInput } from './vm.machine';

const input: VmInput = {
  id: 'db-01',
  name: 'db-01',
  datastoreId: 'ds',
  folder: 'db-01',
  hostId: 'esx-01',
  registered: true,
  encryption: null,
  locked: null,
  vtpm: false,
  snapshots: 0,
  diskSizeBytes: 4096,
  operation: null,
};

describe('vmMachine', () => {
  it('runs a disk job while off and cannot power on until it is done', async () => {
    const vm = createActor(vmMachine, { input }).start();
    let release!: () => void;
    const { jobId, result } = registerDiskJob(() => new Promise<string>((resolve) => (release = () => resolve('done'))));
    vm.send({ type: 'vm.diskJobStart', jobId, kind: 'encrypt' });
    expect(vm.getSnapshot().matches({ off: 'working' })).toBe(true);
    vm.send({ type: 'vm.poweredOn', hostId: 'esx-01' });
    expect(vm.getSnapshot().matches('on')).toBe(false);
    release();
    expect(await result).toBe('done');
    await waitFor(vm, (s) => s.matches({ off: 'idle' }));
    expect(vm.getSnapshot().context.operation).toBeNull();
  });

  it('restored mid-job (a closed tab) it is interrupted, keeping its progress, and can start again', async () => {
    const vm = createActor(vmMachine, { input }).start();
    const { jobId } = registerDiskJob(() => new Promise<never>(() => {}));
    vm.send({ type: 'vm.diskJobStart', jobId, kind: 'rekeyDeep' });
    vm.send({ type: 'vm.operationProgress', operation: { kind: 'rekeyDeep', done: 2048, total: 4096, interrupted: false } });
    const persisted = JSON.parse(JSON.stringify(vm.getPersistedSnapshot()));
    vm.stop();

    const restored = createActor(vmMachine, { input, snapshot: persisted }).start();
    await waitFor(restored, (s) => s.matches({ off: 'interrupted' }));
    expect(restored.getSnapshot().context.operation).toEqual({ kind: 'rekeyDeep', done: 2048, total: 4096, interrupted: true });

    const again = registerDiskJob(async () => 'finished');
    restored.send({ type: 'vm.diskJobStart', jobId: again.jobId, kind: 'rekeyDeep' });
    expect(await again.result).toBe('finished');
    await waitFor(restored, (s) => s.matches({ off: 'idle' }));
  });
});
