// Openings several specs share, so each spec starts from the same lab state in the same way: a VM powered off (for
// the actions vSphere allows only then), a VM encrypted and running, a VM on a Native Key Provider that has been
// backed up (where the doomsday drills begin).
import type { Page } from '@playwright/test';
import { LabPage } from './lab-page';

/** A fresh lab with `vm`'s page open and the VM powered off. */
export async function openWithVmPoweredOff(page: Page, vm: string) {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select(vm, new RegExp(vm));
  await lab.runOk('Power off');
  return lab;
}

/** A fresh lab with `vm` encrypted by the default provider (KMS-Cluster) and powered on again, its page open. */
export async function openWithVmEncryptedAndRunning(page: Page, vm: string) {
  const lab = await openWithVmPoweredOff(page, vm);
  await lab.runOk('Encrypt');
  await lab.runOk(/^Power on/);
  return lab;
}

/**
 * A fresh lab; a Native Key Provider `nkp` added and backed up with `password` (the .p12 downloads for real); `vm`
 * moved to it by a shallow re-key, its page left open. Returns the lab, the .p12's path and the VM's new KEK key ID.
 */
export async function openWithVmOnBackedUpNkp(page: Page, { vm, nkp, password }: { vm: string; nkp: string; password: string }) {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.keyProviders.addNative(nkp);
  const file = await lab.keyProviders.backUp(nkp, password);
  await lab.select(vm, new RegExp(vm));
  const keyId = await lab.vm.shallowRekeyTo(nkp);
  return { lab, file, keyId };
}
