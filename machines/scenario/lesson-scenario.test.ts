// Every catalogue lesson's start is a scenario: its world and prelude read as format 2, go through a link and come
// back the same, and open in a scenario lab to the same world the lesson itself starts from, object by object (names,
// states, providers, encryption, guest files; ids and key IDs apart, which each lab draws from its own seed).
import { afterEach, describe, expect, it } from 'vitest';
import { availableLessons, loadLesson } from '@/lib/lessons';
import { decodeScenarioFragment, encodeScenarioFragment } from '@/lib/scenario';
import { KeylabDb } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import type { Lab, LabView } from '../lab-types';
import { openLesson } from '../lessons/open-lesson';
import { createManualClock } from '../session/lab-clock';
import { lessonStartScenario } from './lesson-scenario';
import { openScenarioLab } from './open-scenario';

const opened: Lab[] = [];
afterEach(() => {
  for (const lab of opened.splice(0)) lab.dispose();
});

/** The world as a learner sees it, without the ids a lab's own seed draws. */
function shape(view: LabView) {
  return {
    vcenter: view.vcenterStatus,
    providers: (view.vcenter?.keyProviders ?? []).map((p) => ({ name: p.name, kind: p.kind, isDefault: p.isDefault, ...(p.kind === 'native' ? { status: p.status, tpmOnly: p.tpmOnly, hosts: p.hostsWithKdk } : {}) })),
    hosts: view.hosts.map((h) => ({ id: h.id, power: h.power, connection: h.connection, cryptoState: h.cryptoState, ramKeys: h.ramKeys.length, running: h.runningVmIds })),
    kms: view.kmsNodes.map((k) => ({ id: k.id, status: k.status, keys: k.keys.length })),
    vms: view.vms.map((v) => ({ id: v.id, power: v.power, registered: v.registered, provider: v.encryption?.providerName ?? null, locked: v.locked?.reason ?? null, vtpm: v.vtpm })),
  };
}

describe('catalogue lessons as scenarios', () => {
  it('every lesson’s start reads as a format-2 scenario and survives a link', async () => {
    const lengths: string[] = [];
    for (const entry of availableLessons()) {
      const scenario = lessonStartScenario(await loadLesson(entry.id));
      const fragment = await encodeScenarioFragment(scenario);
      expect((await decodeScenarioFragment(fragment)).scenario).toEqual(scenario);
      lengths.push(`${entry.id} ${fragment.length}`);
    }
    console.log(`lesson starts as scenario links (fragment characters): ${lengths.join(', ')}`);
  });

  it('each opens in a scenario lab to the world the lesson starts from', async () => {
    for (const entry of availableLessons()) {
      const lesson = await loadLesson(entry.id);
      const asLesson = await openLesson({ db: new KeylabDb(uniqueDbName(`l-${entry.id}`)), lesson, clock: createManualClock() });
      opened.push(asLesson.lab);
      const asScenario = await openScenarioLab({ db: new KeylabDb(uniqueDbName(`s-${entry.id}`)), start: { scenario: lessonStartScenario(lesson), learnerSeed: null }, clock: createManualClock() });
      opened.push(asScenario.lab);
      expect(shape(asScenario.lab.getView()), entry.id).toEqual(shape(asLesson.lab.getView()));
      expect(asScenario.record.handout?.password ?? null, entry.id).toBe(asLesson.progress.handout?.password ?? null);
      for (const f of asLesson.progress.baseline.guestFiles) {
        const vm = asLesson.lab.getView().vms.find((v) => v.id === f.vmId);
        if (!vm?.registered || vm.locked || vm.power !== 'on') continue;
        expect(await asScenario.lab.readGuestFile(f.vmId, f.name), `${entry.id} ${f.vmId}/${f.name}`).toBe(f.text);
      }
    }
  }, 120_000);
});
