// The lesson catalogue: light metadata for the home page and the panel's header, and loadLesson, which fetches a
// lesson's content (steps, checks, scenario) only when that lesson opens: one dynamic import per lesson file, so no
// lesson weighs on the first load of / or /lab. Each lesson file takes its id, order, title, goal and time from its entry
// here (catalogued() in lesson-parts.ts); index.test.ts checks each loaded file names its own entry.
import type { Lesson } from './lesson-types';

export interface LessonEntry {
  id: string;
  order: number;
  title: string;
  goal: string;
  estimatedMinutes: number;
}

export const LESSONS: readonly LessonEntry[] = [
  {
    id: 'nkp-setup',
    order: 1,
    title: 'Set up the Native Key Provider',
    goal: 'Add a Native Key Provider, back it up to a password-protected .p12, look inside it with openssl, make it the default and encrypt a VM with it.',
    estimatedMinutes: 12,
  },
  {
    id: 'kms-to-nkp',
    order: 2,
    title: 'Migrate from a KMS to the Native Key Provider',
    goal: 'Move every VM off an external KMS onto NKP-1 without downtime, prove none of them needs the KMS any more, then retire the KMS.',
    estimatedMinutes: 15,
  },
  {
    id: 'doomsday-a',
    order: 3,
    title: 'Doomsday A: vCenter lost while the VMs run',
    goal: 'Deploy a new vCenter, restore the Native Key Provider from last week’s .p12, add the hosts back and watch the key database refill from the hosts’ memory.',
    estimatedMinutes: 12,
  },
  {
    id: 'doomsday-b',
    order: 4,
    title: 'Doomsday B: vCenter lost with the VMs off',
    goal: 'Rebuild vCenter when the encrypted VMs are off and the hosts hold no keys: restore the Native Key Provider from its .p12, bring the VMs back from the datastore, unlock and start them.',
    estimatedMinutes: 15,
  },
  {
    id: 'how-encryption-works',
    order: 5,
    title: 'How VM encryption works',
    goal: 'Encrypt a VM with a standard key provider, follow its DEK and KEK from the disk sectors to the KMS, and see the KEK fetched again by its ID after a host reboot.',
    estimatedMinutes: 10,
  },
  {
    id: 'tpm-or-not',
    order: 6,
    title: 'TPM or not',
    goal: 'Reboot a host with a TPM and one without while vCenter is down, copy their boot disks as a thief would, and keep the recovery key that brings a host back after its TPM is cleared.',
    estimatedMinutes: 12,
  },
  {
    id: 'kms-availability',
    order: 7,
    title: 'KMS availability',
    goal: 'See what a KMS node that is down, one that hangs, and replication (a node sends keys only while it is up) do to vCenter getting keys, and how vSphere 6.7 and 8.0 pick a KMS node.',
    estimatedMinutes: 15,
  },
  {
    id: 'the-traps',
    order: 8,
    title: 'The traps',
    goal: 'Meet the two mistakes that lose encrypted VMs for good, safely: a backup whose password is lost, and a key destroyed on the KMS.',
    estimatedMinutes: 12,
  },
  {
    id: 'dont-panic',
    order: 9,
    title: 'Don’t panic: the only KMS is gone',
    goal: 'The only KMS is lost while encrypted VMs run: shut nothing down, move every running VM to a Native Key Provider by shallow re-key before a host reboots, and see what happened to the one whose host rebooted first.',
    estimatedMinutes: 12,
  },
  {
    id: 'rebuild-vcenter-kms',
    order: 10,
    title: 'Rebuild vCenter with a standard key provider',
    goal: 'vCenter is lost but the KMS cluster survives: deploy a new vCenter, add the KMS cluster back under the same name, add the hosts, unlock and start the VMs, and prove the KEKs come from the KMS again.',
    estimatedMinutes: 12,
  },
  {
    id: 'rotate-nkp',
    order: 11,
    title: 'Rotate the Native Key Provider and audit it',
    goal: 'Rotate NKP keys the only way there is (a new NKP, backed up and made default, every VM shallow re-keyed), find what a No cryptography administrator may do, and audit it all from the events.',
    estimatedMinutes: 12,
  },
  {
    id: 'vtpm-windows-11',
    order: 12,
    title: 'A vTPM for a Windows 11 VM',
    goal: 'Give a Windows 11 VM its TPM 2.0: a key provider first, the vTPM encrypting the VM home (.nvram) and not the disks, and why a backup of the VM must keep its .nvram.',
    estimatedMinutes: 10,
  },
];

/**
 * One loader per lesson file. Adding a lesson: add its LESSONS entry above, write <id>.lesson.ts spreading
 * catalogued('<id>'), and add a line here (index.test.ts checks each file names its own entry).
 */
const LOADERS: Record<string, () => Promise<{ lesson: Lesson }>> = {
  'nkp-setup': () => import('./nkp-setup.lesson'),
  'kms-to-nkp': () => import('./kms-to-nkp.lesson'),
  'doomsday-a': () => import('./doomsday-a.lesson'),
  'doomsday-b': () => import('./doomsday-b.lesson'),
  'how-encryption-works': () => import('./how-encryption-works.lesson'),
  'tpm-or-not': () => import('./tpm-or-not.lesson'),
  'kms-availability': () => import('./kms-availability.lesson'),
  'the-traps': () => import('./the-traps.lesson'),
  'dont-panic': () => import('./dont-panic.lesson'),
  'rebuild-vcenter-kms': () => import('./rebuild-vcenter-kms.lesson'),
  'rotate-nkp': () => import('./rotate-nkp.lesson'),
  'vtpm-windows-11': () => import('./vtpm-windows-11.lesson'),
};

// Ids come from the URL (?lesson=…): only the table's own keys count, so "constructor", "__proto__" or "toString"
// never find a member every object inherits.
const loaderOf = (id: string): (() => Promise<{ lesson: Lesson }>) | undefined => (Object.hasOwn(LOADERS, id) ? LOADERS[id] : undefined);

/** Lessons that can be opened (their content exists), in catalogue order. */
export const availableLessons = (): LessonEntry[] => LESSONS.filter((l) => loaderOf(l.id) !== undefined);

export const lessonEntry = (id: string): LessonEntry | undefined => LESSONS.find((l) => l.id === id);

export const hasLesson = (id: string): boolean => loaderOf(id) !== undefined;

/** The lesson's content, fetched when it opens. */
export async function loadLesson(id: string): Promise<Lesson> {
  const load = loaderOf(id);
  if (!load) throw new Error(`There is no lesson "${id}". Open the catalogue on the home page to choose one.`);
  return (await load()).lesson;
}
