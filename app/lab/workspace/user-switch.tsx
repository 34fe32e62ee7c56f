'use client';
// Who is signed in to vCenter: switch between the Administrator and the No cryptography administrator to see which
// operations need the Cryptographer.* privileges. The lab's answer (or refusal) shows beside the switch.
import { useId } from 'react';
import type { LabView } from '@/machines/lab-types';
import { ActionResult } from '../components/action-feedback/action-result';
import { useAction } from '../components/action-feedback/use-action';
import { useLab, useLabSelector } from '../hooks/lab-context';
import { sameData } from '../hooks/lab-selection';

/** Who may sign in and who is: all the switch reads of the view. */
const signInOf = (view: LabView) => view.vcenter && { users: view.vcenter.users, currentUser: view.vcenter.currentUser };

export function UserSwitch() {
  const id = useId();
  const action = useAction();
  const lab = useLab();
  const vc = useLabSelector(signInOf, sameData);
  if (!vc) {
    return <span className="text-xs text-slate-600 dark:text-slate-400">No vCenter to sign in to</span>;
  }
  const current = vc.users.find((u) => u.name === vc.currentUser);
  return (
    <div className="flex flex-col items-start gap-0.5">
      <div className="flex items-center gap-1.5">
        <label htmlFor={id} className="text-xs text-slate-700 dark:text-slate-300">
          Signed in as
        </label>
        <select
          id={id}
          value={vc.currentUser}
          disabled={action.running}
          onChange={(e) => void action.run(() => lab.dispatch({ type: 'user.switch', userName: e.target.value }))}
          className="max-w-64 rounded border border-slate-400 bg-white px-1.5 py-0.5 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100"
        >
          {vc.users.map((u) => (
            <option key={u.name} value={u.name} data-role={u.role}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      {current ? (
        <span
          data-testid="user-role"
          className={`text-[11px] leading-tight ${current.role === 'Administrator' ? 'text-slate-700 dark:text-slate-300' : 'text-amber-800 dark:text-amber-300'}`}
        >
          {current.role === 'No cryptography administrator'
            ? `${current.role}: no Cryptographer.* privileges`
            : current.role === 'Read-only'
              ? 'Read-only: can look, cannot change anything'
              : 'Administrator: all privileges'}
        </span>
      ) : null}
      {/* The role line already shows a successful switch; only a refusal needs words here. */}
      {action.state.status === 'done' && !action.state.result.ok ? <ActionResult state={action.state} compact /> : null}
    </div>
  );
}
