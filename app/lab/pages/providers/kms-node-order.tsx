'use client';
// A standard provider's KMS nodes in their configured order, with Move up / Move down. On vSphere 6.5/6.7 the order
// decides which node a key request reaches first (a hung node at the top costs every request a 60-second wait); from
// 7.0 vCenter takes the nodes in turn and the order gives no priority: the line under the list says which applies.
import type { Lab, LabView, StandardProviderView } from '@/machines/lab-types';
import { ActionResult } from '../../components/action-feedback/action-result';
import { useAction } from '../../components/action-feedback/use-action';
import { kmsStatusLabel } from '../../format';
import type { Route } from '../../navigation';
import { ObjectLink } from '../page-parts';
import { MoveButtons, moved } from './move-buttons';

export function KmsNodeOrder(props: { lab: Lab; view: LabView; provider: StandardProviderView; navigate: (r: Route) => void }) {
  const { lab, view, provider, navigate } = props;
  const ids = provider.kmsNodeIds;
  const action = useAction(ids.join(','));
  const nameOf = (id: string) => view.kmsNodes.find((k) => k.id === id)?.name ?? id;
  const move = (i: number, by: -1 | 1) => {
    const next = moved(ids, i, by);
    void action.run(() => lab.dispatch({ type: 'provider.reorderKmsNodes', providerId: provider.id, kmsNodeIds: next }));
  };
  return (
    <div className="flex flex-col gap-1">
      <ol className="flex flex-col gap-1" aria-label={`KMS nodes of ${provider.name}, in their configured order`}>
        {ids.map((id, i) => {
          const node = view.kmsNodes.find((k) => k.id === id);
          return (
            <li key={id} className="flex items-start gap-1">
              <span aria-hidden="true" className="w-4 shrink-0 pt-0.5 text-right">
                {i + 1}.
              </span>
              {ids.length > 1 ? (
                <span className="inline-flex shrink-0">
                  <MoveButtons name={nameOf(id)} index={i} count={ids.length} busyReason={action.running ? 'Working…' : null} onMove={(by) => move(i, by)} />
                </span>
              ) : null}
              <span className="min-w-0 pt-0.5">
                <ObjectLink route={{ kind: 'kms', id }} navigate={navigate}>
                  {nameOf(id)}
                </ObjectLink>
                {node ? (
                  <span className="block text-xs text-slate-700 dark:text-slate-300">
                    {kmsStatusLabel[node.status]} · {node.address}:{node.port}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="text-xs text-slate-700 dark:text-slate-300" data-testid="node-selection">
        {provider.nodeSelection.policy === 'ordered'
          ? 'vCenter asks them from the top; a hung node costs each request a fixed 60 s.'
          : `vCenter takes them in turn (round-robin; the order gives no priority); a hung node costs the requests that reach it ${provider.nodeSelection.hungWaitMs / 1000} s${provider.nodeSelection.timeoutAssumed ? ' (the lab’s assumed I/O timeout)' : ''}. Next: ${provider.nodeSelection.nextNodeId ? nameOf(provider.nodeSelection.nextNodeId) : '—'}.`}
      </p>
      <ActionResult state={action.state} compact />
    </div>
  );
}
