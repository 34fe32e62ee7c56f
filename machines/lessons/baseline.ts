// The lesson's baseline: facts about the lab once the prelude has run, so checks can compare "now" with "at the start"
// and the proof knows which guest files to read back.
import type { LessonAction, LessonBaseline } from '@/lib/lessons/lesson-types';
import type { Scenario } from '@/lib/scenario';
import type { LabView } from '../lab-types';

/** Guest files the world starts with: the scenario's, then the prelude's writes (a later write replaces a file). */
export function guestFilesOf(scenario: Scenario, prelude: LessonAction[]): LessonBaseline['guestFiles'] {
  const files = new Map<string, LessonBaseline['guestFiles'][number]>();
  for (const vm of scenario.vms) for (const f of vm.guestFiles) files.set(`${vm.id}/${f.name}`, { vmId: vm.id, name: f.name, text: f.text });
  for (const action of prelude) {
    if (action.kind !== 'command' || action.command.type !== 'guest.writeFile') continue;
    const { vmId, name, text } = action.command;
    files.set(`${vmId}/${name}`, { vmId, name, text });
  }
  return [...files.values()];
}

export function recordBaseline(view: LabView, guestFiles: LessonBaseline['guestFiles']): LessonBaseline {
  const providers: LessonBaseline['providers'] = {};
  for (const p of view.vcenter?.keyProviders ?? []) providers[p.name] = { id: p.id, kind: p.kind, keyId: p.kind === 'native' ? p.keyId : null };
  const vms: LessonBaseline['vms'] = {};
  for (const vm of view.vms) {
    vms[vm.id] = {
      keyId: vm.encryption?.keyId ?? null,
      providerName: vm.encryption?.providerName ?? null,
      dekFingerprint: vm.encryption?.dekFingerprint ?? null,
      power: vm.power,
    };
  }
  const backups: NonNullable<LessonBaseline['backups']> = {};
  for (const k of view.keyMap) {
    if (k.level !== 'KDK') continue;
    for (const place of k.places) if (place.kind === 'backup-file') backups[place.objectId] ??= k.keyId;
  }
  return { startedAt: view.clock.now, providers, vms, backups, guestFiles };
}
