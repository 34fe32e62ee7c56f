// The inventory tree as data, built from the lab's view: vCenter → datacenter → cluster → hosts → VMs, key providers,
// then what lives outside vCenter (KMS nodes, datastores, hosts and VMs it does not know). Pure, so the tree component
// only draws it.
import type { HostView, LabView, VmView } from '@/machines/lab-types';
import { absentVcenterLabel, hostStateWords } from '../format';
import type { Route } from '../navigation';

export type TreeNodeKind =
  | 'vcenter'
  | 'vcenter-gone'
  | 'datacenter'
  | 'cluster'
  | 'host'
  | 'vm'
  | 'providers'
  | 'provider'
  | 'kms'
  | 'datastore'
  | 'group'
  | 'keymap';

export interface TreeNode {
  /** Unique in the tree; also what a route maps to (see nodeIdOfRoute). */
  id: string;
  label: string;
  kind: TreeNodeKind;
  /** The page this item opens; null for pure folders. */
  route: Route | null;
  /** Short state words shown after the label ("powered off", "locked"). */
  states: string[];
  tone: 'normal' | 'warning' | 'danger' | 'muted';
  children: TreeNode[];
}

export function nodeIdOfRoute(route: Route): string {
  switch (route.kind) {
    case 'vcenter':
      return 'vcenter';
    case 'keymap':
      return 'keymap';
    case 'providers':
      return route.id ? `provider:${route.id}` : 'providers';
    default:
      return `${route.kind}:${route.id}`;
  }
}

const operationWords: Record<NonNullable<VmView['operation']>['kind'], string> = {
  encrypt: 'encrypting',
  decrypt: 'decrypting',
  rekeyDeep: 'deep re-key',
};

function vmNode(vm: VmView): TreeNode {
  const states: string[] = [];
  if (vm.locked) states.push('locked');
  if (vm.operation) {
    const op = vm.operation;
    const pct = op.total > 0 ? Math.floor((op.done / op.total) * 100) : 0;
    states.push(op.interrupted ? `${operationWords[op.kind]} interrupted at ${pct}%` : `${operationWords[op.kind]} ${pct}%`);
  }
  if (vm.encryption) states.push('encrypted');
  states.push(vm.power === 'on' ? 'on' : 'off');
  if (!vm.registered) states.push('unregistered');
  const tone = vm.locked ? 'danger' : vm.registered ? 'normal' : 'muted';
  return item({ kind: 'vm', label: vm.name, route: { kind: 'vm', id: vm.id }, states, tone });
}

function hostNode(host: HostView, vms: VmView[]): TreeNode {
  return item({
    kind: 'host',
    label: host.name,
    route: { kind: 'host', id: host.id },
    states: hostStateWords(host),
    tone: host.power === 'off' || host.connection !== 'connected' ? 'warning' : 'normal',
    children: vms.map(vmNode),
  });
}

/** An item that opens a page: its id is its route's (so the tree follows the page shown) unless given; no state words. */
function item(fields: Pick<TreeNode, 'kind' | 'label'> & Partial<TreeNode> & { route: Route }): TreeNode {
  return { id: nodeIdOfRoute(fields.route), states: [], tone: 'normal', children: [], ...fields };
}

function group(id: string, label: string, children: TreeNode[]): TreeNode {
  return { id, label, kind: 'group', route: null, states: [], tone: 'normal', children };
}

export function buildInventory(view: LabView): TreeNode[] {
  const vc = view.vcenter;
  const inVcenter = new Set(vc ? vc.hostIds : []);
  const registered = new Set(vc ? vc.registeredVmIds : []);
  const roots: TreeNode[] = [];

  if (vc) {
    const clusterHosts = view.hosts.filter((h) => inVcenter.has(h.id) && h.connection !== 'removed');
    const shownHostIds = new Set(clusterHosts.map((h) => h.id));
    const regVms = view.vms.filter((v) => v.registered && registered.has(v.id));
    const hostChildren = clusterHosts.map((h) => hostNode(h, regVms.filter((v) => v.hostId === h.id)));
    // A registered VM whose host is not in the cluster (removed, or none yet) still belongs to the cluster.
    const orphans = regVms.filter((v) => !v.hostId || !shownHostIds.has(v.hostId)).map(vmNode);
    const providers = item({
      kind: 'providers',
      label: 'Key Providers',
      route: { kind: 'providers' },
      children: vc.keyProviders.map((p) => {
        const states: string[] = [];
        if (p.kind === 'native') states.push(p.status === 'notBackedUp' ? 'not backed up' : p.status);
        else if (p.health !== 'ok') states.push(p.health);
        if (p.isDefault) states.push('default');
        const tone = p.health === 'error' ? 'danger' : p.health === 'warning' ? 'warning' : 'normal';
        return item({ kind: 'provider', label: p.name, route: { kind: 'providers', id: p.id }, states, tone });
      }),
    });
    // The datacenter and the cluster open vCenter's page; their own ids keep them apart from it in the tree.
    const cluster = item({ id: 'cluster', kind: 'cluster', label: vc.cluster, route: { kind: 'vcenter' }, children: [...hostChildren, ...orphans] });
    const datacenter = item({ id: 'datacenter', kind: 'datacenter', label: vc.datacenter, route: { kind: 'vcenter' }, children: [cluster] });
    const states = vc.generation > 1 ? [`redeployed (#${vc.generation})`] : [];
    roots.push(item({ kind: 'vcenter', label: vc.name, route: { kind: 'vcenter' }, states, children: [datacenter, providers] }));
  } else {
    roots.push(item({ kind: 'vcenter-gone', label: absentVcenterLabel(view.vcenterStatus), route: { kind: 'vcenter' }, tone: 'danger' }));
  }

  // Hosts vCenter does not manage still run their VMs: those show under the host (as not registered), like a
  // host client would show them; every other VM not in vCenter's inventory is listed on its own further down.
  // With vCenter only down, its inventory still stands: its VMs show under their hosts, registered, on or off.
  const vcenterDown = !vc && view.vcenterStatus === 'stopped';
  const outside = view.hosts.filter((h) => !vc || !inVcenter.has(h.id) || h.connection === 'removed');
  const isRegistered = (v: VmView) => Boolean(vc ? v.registered && registered.has(v.id) : vcenterDown && v.registered);
  const outsideIds = new Set(outside.map((h) => h.id));
  const runningOutside = view.vms.filter(
    (v) => v.hostId && outsideIds.has(v.hostId) && (vcenterDown ? v.registered || v.power === 'on' : !isRegistered(v) && v.power === 'on'),
  );
  if (outside.length > 0) {
    roots.push(
      group(
        'standalone-hosts',
        vc ? 'Hosts not in vCenter' : vcenterDown ? 'ESXi hosts (vCenter down)' : 'ESXi hosts (no vCenter)',
        outside.map((h) => hostNode(h, runningOutside.filter((v) => v.hostId === h.id))),
      ),
    );
  }

  const kmsNode = (k: LabView['kmsNodes'][number]) =>
    item({
      kind: 'kms',
      label: k.name,
      route: { kind: 'kms', id: k.id },
      states: k.status === 'up' ? [] : [k.status],
      tone: k.status === 'up' ? 'normal' : 'danger',
    });
  const datastoreNode = (d: LabView['datastores'][number]) =>
    item({ kind: 'datastore', label: d.name, route: { kind: 'datastore', id: d.id } });
  roots.push(group('kms-nodes', 'KMS nodes', view.kmsNodes.map(kmsNode)));
  roots.push(group('datastores', 'Datastores', view.datastores.map(datastoreNode)));

  const shownUnderHost = new Set(runningOutside.map((v) => v.id));
  const unregistered = view.vms.filter((v) => !isRegistered(v) && !shownUnderHost.has(v.id));
  if (unregistered.length > 0) roots.push(group('unregistered', 'Unregistered VMs (on datastores)', unregistered.map(vmNode)));

  roots.push(item({ kind: 'keymap', label: 'Key map', route: { kind: 'keymap' } }));
  return roots;
}

/** Every node id in display order, skipping the children of collapsed nodes (what Up/Down walk through). */
export function visibleNodes(roots: TreeNode[], expanded: ReadonlySet<string>): { node: TreeNode; parentId: string | null; level: number }[] {
  const out: { node: TreeNode; parentId: string | null; level: number }[] = [];
  const walk = (nodes: TreeNode[], parentId: string | null, level: number) => {
    for (const node of nodes) {
      out.push({ node, parentId, level });
      if (node.children.length > 0 && expanded.has(node.id)) walk(node.children, node.id, level + 1);
    }
  };
  walk(roots, null, 1);
  return out;
}

/** Ids of every node that has children (all expanded at first, as vSphere's tree opens on the inventory). */
export function allParentIds(roots: TreeNode[]): string[] {
  const ids: string[] = [];
  const walk = (nodes: TreeNode[]) => {
    for (const n of nodes) {
      if (n.children.length > 0) {
        ids.push(n.id);
        walk(n.children);
      }
    }
  };
  walk(roots);
  return ids;
}

/** The ids on the path to a node (its ancestors), so selecting something deep opens the branches above it. */
export function ancestorsOf(roots: TreeNode[], id: string): string[] {
  const path: string[] = [];
  const walk = (nodes: TreeNode[]): boolean => {
    for (const n of nodes) {
      if (n.id === id) return true;
      path.push(n.id);
      if (walk(n.children)) return true;
      path.pop();
    }
    return false;
  };
  return walk(roots) ? path : [];
}
