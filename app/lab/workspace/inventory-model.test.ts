// The inventory tree as the learner reads it, built from real lab views: vCenter's hierarchy while it runs, the hosts
// and VMs it no longer knows once it is down or gone, and the keyboard walk through the visible rows.
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestLabs, ok as must, openTestLab } from '@/machines/session/lab-test-support';
import type { Lab } from '@/machines/lab-types';
import { allParentIds, ancestorsOf, buildInventory, nodeIdOfRoute, visibleNodes, type TreeNode } from './inventory-model';

afterEach(closeTestLabs);
const starterLab = async (): Promise<Lab> => (await openTestLab()).lab;

function find(roots: TreeNode[], id: string): TreeNode {
  for (const n of roots) {
    if (n.id === id) return n;
    const inner = n.children.length ? findOrNull(n.children, id) : null;
    if (inner) return inner;
  }
  throw new Error(`no node ${id}`);
}
function findOrNull(roots: TreeNode[], id: string): TreeNode | null {
  try {
    return find(roots, id);
  } catch {
    return null;
  }
}
const ids = (nodes: TreeNode[]) => nodes.map((n) => n.id);

describe('buildInventory', () => {
  it('shows vCenter → datacenter → cluster → hosts → their VMs, the key providers, then KMS nodes, datastores and the key map', async () => {
    const roots = buildInventory((await starterLab()).getView());
    expect(ids(roots)).toEqual(['vcenter', 'kms-nodes', 'datastores', 'keymap']);
    const cluster = find(roots, 'cluster');
    expect(cluster.label).toBe('Cluster-01');
    expect(ids(cluster.children)).toEqual(['host:esx-01', 'host:esx-02', 'host:esx-03']);
    expect(find(roots, 'host:esx-01').children.map((v) => [v.label, v.states])).toEqual([['db-01', ['encrypted', 'on']]]);
    expect(find(roots, 'vm:app-01')).toMatchObject({ states: ['on'], tone: 'normal', route: { kind: 'vm', id: 'app-01' } });
    expect(find(roots, 'provider:KMS-Cluster')).toMatchObject({ states: ['default'], route: { kind: 'providers', id: 'KMS-Cluster' } });
    expect(ids(find(roots, 'kms-nodes').children)).toEqual(['kms:kms-a', 'kms:kms-b']);
  });

  it('marks what is wrong: a KMS node down, a host powered off, a VM unregistered', async () => {
    const lab = await starterLab();
    await must(lab, { type: 'kms.down', kmsId: 'kms-b' });
    await must(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await must(lab, { type: 'vm.unregister', vmId: 'app-01' });
    await must(lab, { type: 'host.powerOff', hostId: 'esx-03' });
    const roots = buildInventory(lab.getView());
    expect(find(roots, 'kms:kms-b')).toMatchObject({ states: ['down'], tone: 'danger' });
    expect(find(roots, 'host:esx-03').tone).toBe('warning');
    expect(find(roots, 'host:esx-03').states).toContain('powered off');
    expect(ids(roots)).toContain('unregistered');
    expect(find(roots, 'unregistered').children.map((v) => [v.label, v.tone, v.states])).toEqual([['app-01', 'muted', ['off', 'unregistered']]]);
  });

  it('with vCenter destroyed: its place says so, and the hosts carry on with their running VMs, now unregistered', async () => {
    const lab = await starterLab();
    await must(lab, { type: 'vcenter.destroy' });
    const roots = buildInventory(lab.getView());
    expect(roots[0]).toMatchObject({ id: 'vcenter', kind: 'vcenter-gone', tone: 'danger' });
    const hosts = find(roots, 'standalone-hosts');
    expect(hosts.label).toBe('ESXi hosts (no vCenter)');
    expect(find(roots, 'host:esx-01').children.map((v) => [v.label, v.states])).toEqual([['db-01', ['encrypted', 'on', 'unregistered']]]);
    expect(findOrNull(roots, 'cluster')).toBeNull();
  });

  it('with vCenter only down: its inventory still stands under the hosts, registered', async () => {
    const lab = await starterLab();
    await must(lab, { type: 'vcenter.stop' });
    const roots = buildInventory(lab.getView());
    expect(find(roots, 'standalone-hosts').label).toBe('ESXi hosts (vCenter down)');
    expect(find(roots, 'vm:web-01').states).toEqual(['encrypted', 'on']);
    expect(ids(roots)).not.toContain('unregistered');
  });
});

describe('walking the tree', () => {
  it('lists only the rows under expanded nodes, with their level and parent', async () => {
    const roots = buildInventory((await starterLab()).getView());
    const collapsed = visibleNodes(roots, new Set());
    expect(collapsed.map((r) => r.node.id)).toEqual(['vcenter', 'kms-nodes', 'datastores', 'keymap']);
    const open = visibleNodes(roots, new Set(['vcenter', 'datacenter']));
    expect(open.slice(0, 4).map((r) => [r.node.id, r.parentId, r.level])).toEqual([
      ['vcenter', null, 1],
      ['datacenter', 'vcenter', 2],
      ['cluster', 'datacenter', 3],
      ['providers', 'vcenter', 2],
    ]);
    expect(visibleNodes(roots, new Set(allParentIds(roots))).map((r) => r.node.id)).toContain('vm:db-01');
  });

  it('finds the branches above a node, and the node a route opens', async () => {
    const roots = buildInventory((await starterLab()).getView());
    expect(ancestorsOf(roots, 'vm:web-01')).toEqual(['vcenter', 'datacenter', 'cluster', 'host:esx-02']);
    expect(ancestorsOf(roots, 'nope')).toEqual([]);
    expect(allParentIds(roots)).toEqual(expect.arrayContaining(['vcenter', 'datacenter', 'cluster', 'providers', 'kms-nodes', 'datastores']));
    expect(nodeIdOfRoute({ kind: 'vm', id: 'db-01' })).toBe('vm:db-01');
    expect(nodeIdOfRoute({ kind: 'providers' })).toBe('providers');
    expect(nodeIdOfRoute({ kind: 'providers', id: 'KMS-Cluster' })).toBe('provider:KMS-Cluster');
    expect(nodeIdOfRoute({ kind: 'keymap' })).toBe('keymap');
  });
});
