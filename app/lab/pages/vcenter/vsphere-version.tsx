'use client';
// The vSphere release vCenter runs, and how that release picks a KMS node. Changing it is the lab's shortcut for an
// upgrade (in the product a new release is an upgrade or a new appliance), so a learner can compare 6.7's ordered
// list with the round-robin of 7.0 and later on the same KMS cluster.
import { useState } from 'react';
import { disabledReason } from '@/machines/commands/preconditions';
import { nodeSelectionSentence, selectionOf } from '@/machines/keys/kms-node-selection';
import { VSPHERE_VERSIONS, type VsphereVersion } from '@/lib/scenario/vsphere-version';
import type { LabView, VCenterView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { useLab } from '../../hooks/lab-context';
import { InlineSelect, Section } from '../page-parts';

export function VsphereVersionSection({ view, vc }: { view: LabView; vc: VCenterView }) {
  const lab = useLab();
  const [choice, setChoice] = useState<VsphereVersion>(vc.version === '8.0' ? '6.7' : '8.0');
  const standard = vc.keyProviders.filter((p) => p.kind === 'standard');
  const command = { type: 'vcenter.setVersion', version: choice } as const;
  return (
    <Section
      title="vSphere version"
      description={`vSphere ${vc.version}. How vCenter picks a KMS node changed between releases, and the lab follows the version set here. Changing it is the lab’s shortcut: in the product it is an upgrade of vCenter.`}
    >
      <ul className="mb-3 flex list-disc flex-col gap-1 pl-5 text-sm">
        {standard.length === 0 ? (
          <li>{nodeSelectionSentence(vc.version, selectionOf(vc.version, {}))}</li>
        ) : (
          standard.map((p) => (
            <li key={p.id}>
              <span className="font-semibold">{p.name}:</span>{' '}
              {p.kind === 'standard' ? nodeSelectionSentence(vc.version, p.nodeSelection) : null}
            </li>
          ))
        )}
      </ul>
      <div className="flex flex-wrap items-end gap-3">
        <InlineSelect
          label="Release to run"
          value={choice}
          onChange={(v) => setChoice(v as VsphereVersion)}
          options={VSPHERE_VERSIONS.map((v) => ({ value: v, label: `vSphere ${v}${v === vc.version ? ' (running)' : ''}` }))}
        />
        <ActionButton run={() => lab.dispatch(command)} disabledReason={disabledReason(view, command, ['SAME_VERSION'])}>
          Change version
        </ActionButton>
      </div>
    </Section>
  );
}
