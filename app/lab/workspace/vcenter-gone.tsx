'use client';
// Shown above the inventory when vCenter has been destroyed: says so plainly and offers to deploy a new, empty one.
import type { Lab } from '@/machines/lab-types';
import { ActionButton } from '../components/action-feedback/action-button';

export function VcenterGone({ lab }: { lab: Lab }) {
  return (
    <div
      role="status"
      className="mb-2 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100"
    >
      <p className="mb-1 font-semibold">vCenter Server is destroyed.</p>
      <p className="mb-2 text-xs">
        Its database is gone: inventory, key providers and the key database. Hosts, VMs and datastores carry on without it.
      </p>
      <ActionButton variant="primary" run={() => lab.dispatch({ type: 'vcenter.deploy' })}>
        Deploy a new vCenter
      </ActionButton>
    </div>
  );
}
