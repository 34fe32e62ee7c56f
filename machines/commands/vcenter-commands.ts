// vCenter Server commands: destroy (its database is lost), deploy a new empty one, stop/start, switch user.
// Their rules are checked before they run by their preconditions (preconditions/vcenter.ts).
import { deleteKeysOf } from '@/lib/storage';
import { pushKdksToHosts } from '../keys/host-keys';
import { VCENTER_OWNER } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';

/**
 * vCenter and its database are gone: providers, key database, inventory, users' sessions and vCenter's own events.
 * The lab's console keeps its log of world events (a lab-level log, not vCenter's), so the learner can see what
 * happened before. Hosts keep running, with the keys in their memory and TPMs; they are in no vCenter now.
 */
export async function destroyVcenterCommand(rt: LabRuntime): Promise<string> {
  const name = rt.vcenterRef().getSnapshot().context.name;
  for (const wait of rt.waitRefs()) wait.send({ type: 'wait.cancelled' });
  rt.vcenterRef().send({ type: 'vcenter.destroyed' });
  for (const ref of rt.providerRefs()) rt.root.send({ type: 'lab.stopChild', systemId: ref.id });
  await deleteKeysOf(rt.db, VCENTER_OWNER);
  for (const ref of rt.hostRefs()) ref.send({ type: 'host.removed' });
  for (const ref of rt.vmRefs()) ref.send({ type: 'vm.unregistered' });
  rt.log({
    eventTypeId: EVENT.labVcenterLost,
    severity: 'error',
    user: 'lab',
    message: `vCenter Server ${name} was destroyed with its database: key providers, the key database, the inventory and its event log are lost. Hosts and datastores are untouched. (This console is the lab's own log, so it still shows what happened before.)`,
  });
  return `vCenter Server ${name} destroyed. Its database (key providers, key database, inventory) is lost.`;
}

export function deployVcenterCommand(rt: LabRuntime): string {
  rt.vcenterRef().send({ type: 'vcenter.deployed' });
  const vc = rt.requireVcenter();
  rt.log({ eventTypeId: EVENT.labVcenterDeployed, user: 'lab', message: `A new, empty vCenter Server ${vc.name} (generation ${vc.generation}) was deployed. Add the hosts and key providers again.` });
  return `New vCenter Server ${vc.name} deployed (generation ${vc.generation}): no hosts, no key providers yet.`;
}

export function stopVcenterCommand(rt: LabRuntime): string {
  for (const wait of rt.waitRefs()) wait.send({ type: 'wait.cancelled' });
  rt.vcenterRef().send({ type: 'vcenter.stopped' });
  rt.log({ eventTypeId: EVENT.labVcenterDown, severity: 'warning', user: 'lab', message: 'vCenter Server is down (database intact). Hosts keep running with the keys they hold.' });
  return 'vCenter Server is down. Its database is intact; start it again to bring it back.';
}

export async function startVcenterCommand(rt: LabRuntime): Promise<string> {
  rt.vcenterRef().send({ type: 'vcenter.started' });
  await pushKdksToHosts(rt);
  rt.log({ eventTypeId: EVENT.labVcenterUp, user: 'lab', message: 'vCenter Server is up again; it pushes the Native Key Provider keys to its hosts.' });
  return 'vCenter Server is running again.';
}

export function switchUserCommand(rt: LabRuntime, userName: string): string {
  const vc = rt.requireVcenter();
  // user.switch's precondition refused a user vCenter does not have.
  const user = vc.users.find((u) => u.name === userName)!;
  rt.vcenterRef().send({ type: 'user.switched', userName });
  rt.log({ eventTypeId: EVENT.userLogin, user: userName, message: `User ${userName} (${user.role}) logged in.` });
  return `Logged in as ${userName} (${user.role}).`;
}
