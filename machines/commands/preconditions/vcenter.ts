// Preconditions of the vCenter Server commands (destroy, deploy, stop, start, switch user) and of lab time.
import { refuse } from '../lab-refusal';
import type { LabCommand, LabView } from '../../lab-types';
import { requireVcenter } from './view-rules';
import { isVsphereVersion, VSPHERE_VERSIONS } from '@/lib/scenario/vsphere-version';

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

export const vcenterChecks = {
  'vcenter.destroy': (view: LabView) => {
    if (view.vcenterStatus === 'destroyed') refuse('VCENTER_DESTROYED', 'vCenter Server is already destroyed.');
  },
  'vcenter.deploy': (view: LabView) => {
    if (view.vcenterStatus === 'stopped') {
      refuse('VCENTER_EXISTS', 'A vCenter Server is deployed, only down with its database intact: start it again, or destroy it first to start over.');
    }
    if (view.vcenterStatus !== 'destroyed') refuse('VCENTER_EXISTS', 'A vCenter Server is already deployed. Destroy it first to start over.');
  },
  'vcenter.stop': (view: LabView) => {
    if (view.vcenterStatus === 'stopped') refuse('VCENTER_NOT_RUNNING', 'vCenter Server is already down.');
    if (view.vcenterStatus !== 'running') refuse('VCENTER_NOT_RUNNING', 'There is no vCenter Server to stop: it was destroyed.');
  },
  'vcenter.start': (view: LabView) => {
    if (view.vcenterStatus === 'running') refuse('VCENTER_NOT_STOPPED', 'vCenter Server is already running.');
    if (view.vcenterStatus !== 'stopped') refuse('VCENTER_NOT_STOPPED', 'There is no vCenter Server to start: it was destroyed. Deploy a new one.');
  },
  'user.switch': (view: LabView, c: Of<'user.switch'>) => {
    const vc = requireVcenter(view);
    if (!vc.users.some((u) => u.name === c.userName)) refuse('NO_SUCH_USER', `There is no user ${c.userName} in vCenter ${vc.name}.`);
  },
  'vcenter.setVersion': (view: LabView, c: Of<'vcenter.setVersion'>) => {
    const vc = requireVcenter(view);
    if (!isVsphereVersion(c.version)) refuse('BAD_VERSION', `The lab has no vSphere ${String(c.version)}; choose one of ${VSPHERE_VERSIONS.join(', ')}.`);
    if (vc.version === c.version) refuse('SAME_VERSION', `${vc.name} already runs vSphere ${c.version}.`);
  },
  'clock.advance': (_view: LabView, c: Of<'clock.advance'>) => {
    if (!Number.isFinite(c.ms) || c.ms < 0) refuse('BAD_DURATION', `Cannot move lab time by ${c.ms} ms.`);
  },
};
