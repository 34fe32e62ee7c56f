'use client';
// "Add Standard Key Provider": a name and the KMS nodes, in the order vCenter will try them.
import { useState } from 'react';
import { PROVIDER_NAME_MAX } from '@/machines/commands/preconditions/providers';
import type { Lab, LabView } from '@/machines/lab-types';
import { useAction } from '../../components/action-feedback/use-action';
import { kmsStatusLabel } from '../../format';
import { LABEL_CLASS, TextField } from '../page-parts';
import { FormDialogButton } from './form-dialog';
import { MoveButtons, moved } from './move-buttons';

export function AddStandardProvider({ lab, view, disabledReason }: { lab: Lab; view: LabView; disabledReason: string | null }) {
  const [name, setName] = useState('');
  const [order, setOrder] = useState<string[]>([]);
  const action = useAction();
  const nodeName = (id: string) => view.kmsNodes.find((k) => k.id === id)?.name ?? id;

  const toggle = (id: string, on: boolean) => setOrder((o) => (on ? [...o.filter((x) => x !== id), id] : o.filter((x) => x !== id)));
  const move = (i: number, by: -1 | 1) => setOrder((o) => moved(o, i, by));

  const problem = name.trim() === '' ? 'Enter a name.' : order.length === 0 ? 'Choose at least one KMS node.' : null;
  return (
    <FormDialogButton
      label="Add Standard Key Provider…"
      disabledReason={disabledReason}
      title="Add Standard Key Provider"
      description="A KMS cluster reached over KMIP (port 5696). On vSphere 6.5/6.7 vCenter tries the nodes in order, and a hung node costs a 60-second wait before the next is tried; from 7.0 it takes them in turn (round-robin) and waits each server’s I/O timeout. The vCenter page says which this lab runs."
      submitLabel="Add key provider"
      submitDisabledReason={problem}
      action={action}
      onSubmit={() => lab.dispatch({ type: 'provider.addStandard', name: name.trim(), kmsNodeIds: order })}
    >
      <TextField label="Name" maxLength={PROVIDER_NAME_MAX} value={name} onChange={setName} placeholder="e.g. kms-cluster" />
      <fieldset className="flex flex-col gap-1">
        <legend className={LABEL_CLASS}>KMS nodes</legend>
        {view.kmsNodes.map((k) => (
          <label key={k.id} className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={order.includes(k.id)} onChange={(e) => toggle(k.id, e.target.checked)} />
            {k.name} <span className="text-slate-600 dark:text-slate-400">({k.address}:{k.port}, {kmsStatusLabel[k.status]})</span>
          </label>
        ))}
      </fieldset>
      {order.length > 0 ? (
        <div>
          <p className={LABEL_CLASS}>Order vCenter tries them in</p>
          <ol className="mt-1 flex flex-col gap-1" aria-label="KMS node order">
            {order.map((id, i) => (
              <li key={id} className="flex items-center gap-2 text-sm">
                <span className="w-5 text-right">{i + 1}.</span>
                <span className="flex-1">{nodeName(id)}</span>
                <MoveButtons name={nodeName(id)} index={i} count={order.length} onMove={(by) => move(i, by)} />
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </FormDialogButton>
  );
}
