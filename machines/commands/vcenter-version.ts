// The vSphere release the lab's vCenter runs. In the product a change of release is an upgrade (or a new appliance);
// the lab switches at once so a learner can compare how each release picks KMS nodes. Its precondition
// (preconditions/vcenter.ts) refused a vCenter that is not running and a release it already runs.
import type { VsphereVersion } from '@/lib/scenario/vsphere-version';
import { nodeSelectionSentence, selectionOf } from '../keys/kms-node-selection';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';

export function setVersionCommand(rt: LabRuntime, version: VsphereVersion): string {
  const vc = rt.vcenter()!;
  const before = vc.version;
  rt.vcenterRef().send({ type: 'vcenter.versionSet', version });
  const standard = rt.providers().find((p) => p.kind === 'standard');
  const how = nodeSelectionSentence(version, selectionOf(version, standard?.kind === 'standard' ? standard : {}));
  const message = `${vc.name} now runs vSphere ${version}${before ? ` (was ${before})` : ''}. ${how}`;
  rt.log({ eventTypeId: EVENT.labVcenterVersion, severity: 'info', user: 'lab', objectId: vc.id, message });
  return message;
}
