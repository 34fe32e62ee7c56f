'use client';
// "Add Standard Key Provider": a name and the KMS nodes, in the order vCenter will try them.
import { useId, useState } from 'react';
import { PROVIDER_NAME_MAX } from '@/machines/commands/preconditions/providers';
import type { Lab, LabView } from '@/machines/lab-types';
import { ActionResult } from '../../components/action-feedback/action-result';
import { useAction } from '../../components/action-feedback/use-action';
import { Button } from '../../components/ui/button';
import { kmsStatusLabel } from '../../format';
import { INPUT_CLASS, LABEL_CLASS } from '../page-parts';
import { FormDialog } from './form-dialog';

export function AddStandardProvider({ lab, view, disabledReason }: { lab: Lab; view: LabView; disabledReason: string | null }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [order, setOrder] = useState<string[]>([]);
  const action = useAction();
  const nameId = useId();
  const nodeName = (id: string) => view.kmsNodes.find((k) => k.id === id)?.name ?? id;

  const toggle = (id: string, on: boolean) => setOrder((o) => (on ? [...o.filter((x) => x !== id), id] : o.filter((x) => x !== id)));
  const move = (i: number, by: -1 | 1) =>
    setOrder((o) => {
      const next = [...o];
      const j = i + by;
      if (j < 0 || j >= next.length) return o;
      [next[i], next[j]] = [next[j] as string, next[i] as string];
      return next;
    });

  const problem = name.trim() === '' ? 'Enter a name.' : order.length === 0 ? 'Choose at least one KMS node.' : null;
  return (
    <div className="flex max-w-xs flex-col items-start gap-1">
      <Button size="sm" disabledReason={disabledReason} onClick={() => setOpen(true)}>
        Add Standard Key Provider…
      </Button>
      {!open ? <ActionResult state={action.state} compact /> : null}
      <FormDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Add Standard Key Provider"
        description="A KMS cluster reached over KMIP (port 5696). vCenter tries the nodes in order; a hung node costs a 60-second wait before the next is tried (newer vSphere releases spread requests round-robin instead)."
        submitLabel="Add key provider"
        submitDisabledReason={problem}
        action={action}
        onSubmit={() => lab.dispatch({ type: 'provider.addStandard', name: name.trim(), kmsNodeIds: order })}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className={LABEL_CLASS}>
            Name
          </label>
          <input id={nameId} className={INPUT_CLASS} maxLength={PROVIDER_NAME_MAX} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. kms-cluster" />
        </div>
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
                  <Button size="sm" variant="ghost" aria-label={`Move ${nodeName(id)} up`} disabledReason={i === 0 ? 'Already first' : null} reasonHidden onClick={() => move(i, -1)}>
                    ↑
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Move ${nodeName(id)} down`}
                    disabledReason={i === order.length - 1 ? 'Already last' : null}
                    reasonHidden
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </Button>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
      </FormDialog>
    </div>
  );
}
