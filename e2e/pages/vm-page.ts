// A VM as a learner works it (reached as `lab.vm`): move it to another key provider with a shallow re-key, read a
// file in its guest, register it again from its folder on the datastore.
import { expect, type Locator } from '@playwright/test';
import { chooseOption, fact, type LabPage } from './lab-page';

export class VmPage {
  constructor(private readonly lab: LabPage) {}

  /** On the VM's page: a shallow re-key with `provider` for the new KEK; the VM then shows it. Returns the KEK's key ID. */
  async shallowRekeyTo(provider: string): Promise<string> {
    await chooseOption(this.lab.main.getByLabel('Key provider for the new KEK', { exact: true }), provider);
    await this.lab.runOk('Shallow re-key');
    await expect(fact(this.lab.main, 'Encryption')).toContainText(provider);
    return (await fact(this.lab.main, 'KEK key ID').innerText()).trim();
  }

  /** On the VM's page (it runs): opens a file from its Guest console; returns the region showing its contents. */
  async readGuestFile(name: string): Promise<Locator> {
    await this.lab.main.getByRole('tab', { name: 'Guest console' }).click();
    await this.lab.main.getByRole('list', { name: 'Guest files' }).getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
    return this.lab.main.getByRole('region', { name: `Contents of ${name}` });
  }

  /** Register VM from the datastore browser: the VM's folder on ds-shared-01, onto `host` when given. */
  async registerFromDatastore(folder: string, host?: string) {
    await this.lab.goTo('#/datastore/ds-shared-01', 'ds-shared-01');
    await this.lab.main.getByLabel('VM folder', { exact: true }).selectOption(folder);
    if (host) await this.lab.main.getByLabel('Host', { exact: true }).selectOption({ label: host });
    await this.lab.runOk('Register VM');
  }
}
