// vCenter's statechart: a destroyed vCenter loses its database; a new deployment is empty, one generation later.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { vcenterMachine } from './vcenter.machine';

const start = () =>
  createActor(vcenterMachine, { input: { id: 'vcenter', name: 'vcsa', generation: 1, datacenter: 'DC', cluster: 'C' } }).start();

describe('vcenterMachine', () => {
  it('keeps its database while stopped and loses it when destroyed', () => {
    const vc = start();
    vc.send({ type: 'provider.added', providerId: 'KMS' });
    vc.send({ type: 'provider.defaultSet', providerId: 'KMS' });
    vc.send({ type: 'keydb.put', entries: [{ keyId: 'k1', providerId: 'KMS', vmId: 'vm' }] });
    vc.send({ type: 'inventory.hostAdded', hostId: 'esx-01' });
    vc.send({ type: 'vcenter.stopped' });
    expect(vc.getSnapshot().value).toBe('stopped');
    vc.send({ type: 'vcenter.started' });
    expect(vc.getSnapshot().context.keyDatabase).toHaveLength(1);

    vc.send({ type: 'vcenter.destroyed' });
    expect(vc.getSnapshot().context).toMatchObject({ providerIds: [], keyDatabase: [], hostIds: [], defaultProviderId: null, generation: 1 });
    // Nothing can be added to a destroyed vCenter.
    vc.send({ type: 'inventory.hostAdded', hostId: 'esx-01' });
    expect(vc.getSnapshot().context.hostIds).toEqual([]);
    vc.send({ type: 'vcenter.deployed' });
    expect(vc.getSnapshot().value).toBe('running');
    expect(vc.getSnapshot().context.generation).toBe(2);
  });

  it('switches only to users it knows', () => {
    const vc = start();
    vc.send({ type: 'user.switched', userName: 'vm-operator@vsphere.local' });
    expect(vc.getSnapshot().context.currentUser).toBe('vm-operator@vsphere.local');
    vc.send({ type: 'user.switched', userName: 'mallory@evil' });
    expect(vc.getSnapshot().context.currentUser).toBe('vm-operator@vsphere.local');
  });
});
