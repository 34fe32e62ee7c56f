'use client';
// Chooses a key provider for encrypt / re-key; "Default" leaves the choice to vCenter, as the vSphere Client does.
import type { LabView } from '@/machines/lab-types';
import { nkpStatusLabel } from '../../format';
import { InlineSelect } from '../page-parts';

export function ProviderSelect(props: { view: LabView; value: string; onChange: (v: string) => void; label: string }) {
  const providers = props.view.vcenter?.keyProviders ?? [];
  const def = providers.find((p) => p.isDefault);
  return (
    <InlineSelect
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      first={`Default${def ? ` (${def.name})` : ' (none set)'}`}
      options={providers.map((p) => ({ value: p.id, label: `${p.name} — ${p.kind === 'native' ? `NKP, ${nkpStatusLabel[p.status]}` : 'standard'}` }))}
    />
  );
}
