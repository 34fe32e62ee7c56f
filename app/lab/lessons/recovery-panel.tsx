'use client';
// Recovery status, for lessons and the sandbox alike: every encrypted VM, whether its key is in the current vCenter's
// key database, which hosts hold it, and whether it would survive a host reboot now; anything at risk is flagged.
import type { Lab } from '@/machines/lab-types';
import { recoveryStatus } from '@/machines/view/recovery-status';
import { useLabView } from '../hooks/use-lab';

export function RecoveryPanel({ lab }: { lab: Lab }) {
  const view = useLabView(lab);
  const rows = recoveryStatus(view);
  const atRisk = rows.filter((r) => r.risk).length;
  return (
    <section aria-labelledby="recovery-title" data-testid="recovery-status">
      <h2 id="recovery-title" className="text-base font-semibold text-slate-900 dark:text-slate-100">
        Recovery status
      </h2>
      <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">
        {rows.length === 0
          ? 'No encrypted VM in this lab.'
          : atRisk === 0
            ? `All ${rows.length} encrypted VMs would start again after a host reboot now.`
            : `${atRisk} of ${rows.length} encrypted VMs at risk.`}
      </p>
      <ul className="flex flex-col gap-2">
        {rows.map((r) => (
          <li
            key={r.vmId}
            data-vm={r.vmId}
            data-at-risk={r.risk ? 'true' : 'false'}
            className={`rounded border p-2 text-sm ${r.risk ? 'border-red-500 bg-red-50 dark:border-red-500 dark:bg-red-950' : 'border-slate-300 dark:border-slate-700'}`}
          >
            <p className="font-semibold text-slate-900 dark:text-slate-100">
              {r.risk ? <span aria-hidden="true">⚠ </span> : null}
              {r.vmName}
              <span className="font-normal text-slate-700 dark:text-slate-300"> on {r.hostName ?? 'no host'}</span>
            </p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-slate-800 dark:text-slate-200">
              <dt>Key provider</dt>
              <dd>
                {r.providerName} ({r.providerKind === 'native' ? 'NKP' : 'standard'})
              </dd>
              <dt>In vCenter’s key database</dt>
              <dd>{r.keyInVcenter === null ? 'no vCenter' : r.keyInVcenter ? 'Yes' : 'No'}</dd>
              <dt>Held in memory by</dt>
              <dd>{r.hostsHolding.length ? r.hostsHolding.join(', ') : 'no host'}</dd>
              <dt>Survives a host reboot now</dt>
              <dd className={r.survivesReboot ? '' : 'font-semibold text-red-800 dark:text-red-200'}>{r.survivesReboot ? 'Yes' : 'No: at risk'}</dd>
            </dl>
            {r.risk ? <p className="mt-1 text-red-900 dark:text-red-100">{r.risk}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
