'use client';
// Shown above the inventory when vCenter is not running: down (its database intact: start it again) or destroyed
// (its database lost: deploy a new, empty one).
import type { LabView } from '@/machines/lab-types';
import { ActionButton } from '../components/action-feedback/action-button';
import { useLab } from '../hooks/lab-context';

export function VcenterGone({ status }: { status: LabView['vcenterStatus'] }) {
  const lab = useLab();
  const down = status === 'stopped';
  return (
    <div
      role="status"
      className={`mb-2 rounded border p-2 text-sm ${
        down
          ? 'border-amber-400 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100'
          : 'border-red-300 bg-red-50 text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100'
      }`}
    >
      <p className="mb-1 font-semibold">{down ? 'vCenter Server is down.' : 'vCenter Server is destroyed.'}</p>
      <p className="mb-2 text-xs">
        {down
          ? 'Its database is intact. Hosts keep running their VMs with the keys they hold. A host that reboots reads a Native Key Provider’s KDK back from its encrypted configuration; a standard provider’s keys come back only with vCenter.'
          : 'Its database is gone: inventory, key providers and the key database. Hosts, VMs and datastores carry on without it.'}
      </p>
      {down ? (
        <ActionButton variant="primary" run={() => lab.dispatch({ type: 'vcenter.start' })}>
          Start vCenter
        </ActionButton>
      ) : (
        <ActionButton variant="primary" run={() => lab.dispatch({ type: 'vcenter.deploy' })}>
          Deploy a new vCenter
        </ActionButton>
      )}
    </div>
  );
}
