'use client';
// Chooses a key provider for encrypt / re-key; "Default" leaves the choice to vCenter, as the vSphere Client does.
import { useId } from 'react';
import type { LabView } from '@/machines/lab-types';
import { nkpStatusLabel } from '../../format';
import { INPUT_CLASS, LABEL_CLASS } from '../page-parts';

export function ProviderSelect(props: { view: LabView; value: string; onChange: (v: string) => void; label: string }) {
  const id = useId();
  const providers = props.view.vcenter?.keyProviders ?? [];
  const def = providers.find((p) => p.isDefault);
  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor={id} className={`${LABEL_CLASS} text-xs`}>
        {props.label}
      </label>
      <select id={id} className={`${INPUT_CLASS} py-0.5 text-xs`} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">Default{def ? ` (${def.name})` : ' (none set)'}</option>
        {providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} — {p.kind === 'native' ? `NKP, ${nkpStatusLabel[p.status]}` : 'standard'}
          </option>
        ))}
      </select>
    </div>
  );
}
