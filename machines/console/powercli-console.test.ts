// The console against a real headless lab: each cmdlet acts through dispatch and shows in getView(), refusals carry
// the precondition's reason (the UI's), the .p12 is the real file, and bad input leaves the lab untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../commands/preconditions';
import { closeFlowLabs, expectGuestData, must, openFlowLab, refused, vmView } from '../flows/flow-support';
import { loadNkpBackup } from '@/lib/crypto';
import { PowerCliConsole } from './powercli-console';
import { PsObject } from './ps-values';
import { connected, consoleFor, errorsOf, runFails, runOk } from './test-support';

afterEach(closeFlowLabs);

const PW = '(ConvertTo-SecureString "S3cret!pw" -AsPlainText -Force)';

/** An NKP added as the UI adds it (there is no PowerCLI cmdlet for a new NKP), backed up from the console. */
async function withNkp(c: PowerCliConsole, name = 'NKP-Primary') {
  await must(c.lab, { type: 'provider.addNative', name, tpmOnly: false });
  const r = await runOk(c, `Export-KeyProvider -KeyProvider ${name} -FilePath C:\\backup\\${name}.p12 -Password ${PW}`);
  const file = r.lastOutput[0] as PsObject;
  return { file, bytes: file.get('Bytes') as Uint8Array };
}

describe('sessions and inventory', () => {
  it('needs Connect-VIServer first, as PowerCLI does, and then lists the inventory in default tables', async () => {
    const { lab } = await openFlowLab('console-inventory');
    const c = consoleFor(lab);
    const notConnected = await runFails(c, 'Get-VM');
    expect(notConnected.text).toMatch(/^Get-VM : You are not currently connected to any servers/);
    expect(notConnected.text).toContain('FullyQualifiedErrorId : Core_BaseCmdlet_NotConnectedError,VMware.VimAutomation.ViCore.Cmdlets.Commands.GetVM');
    await runOk(c, 'Connect-VIServer vcsa-01.lab.local');
    const vms = await runOk(c, 'Get-VM');
    expect(vms.text.split('\n').slice(1, 3)).toEqual([
      'Name    PowerState VMHost           Encrypted KeyProvider Locked',
      '----    ---------- ------           --------- ----------- ------',
    ]);
    expect(vms.text).toMatch(/db-01 +PoweredOn +esx-01\.lab\.local +True +KMS-Cluster +False/);
    expect((await runOk(c, 'get-vm -NAME DB*')).lastOutput.map(String)).toEqual(['db-01']);
    expect((await runOk(c, 'Get-VMHost esx-03* | Select-Object -ExpandProperty CryptoState')).lastOutput).toEqual([lab.getView().hosts.find((h) => h.id === 'esx-03')!.cryptoState]);
    expect((await runOk(c, 'Get-VM | Where-Object {$_.Encrypted} | Measure-Object')).text).toMatch(/Count +: 2/);
    const keyId = (await runOk(c, '(Get-VM db-01).ExtensionData.Config.KeyId.KeyId')).lastOutput[0];
    expect(keyId).toBe(vmView(lab, 'db-01').encryption!.keyId);
  });

  it('signs in as the lab user the UI switches to: the role decides, with the same refusal as the UI', async () => {
    const { lab } = await openFlowLab('console-role');
    const view = lab.getView();
    const noCrypto = view.vcenter!.users.find((u) => u.role === 'No cryptography administrator')!;
    const c = consoleFor(lab);
    await runOk(c, `Connect-VIServer -Server vcsa-01.lab.local -User "${noCrypto.name}" -Password x`);
    expect(lab.getView().vcenter!.currentUser).toBe(noCrypto.name);
    await runOk(c, 'Stop-VM db-01 -Confirm:$false');
    const error = await runFails(c, 'Set-VM db-01 -DisableEncryption -Confirm:$false');
    const uiReason = checkCommand(lab.getView(), { type: 'vm.decrypt', vmId: 'db-01' })!.reason;
    expect(error.record.message).toBe(uiReason);
    expect(error.record.labCode).toBe('NO_PERMISSION');
    expect(error.text).toContain('CategoryInfo          : PermissionDenied: (db-01:VirtualMachineImpl) [Set-VM], VimException');
    expect(vmView(lab, 'db-01').encryption).not.toBeNull();
    const unknown = await runFails(c, 'Connect-VIServer -Server vcsa-01.lab.local -User nobody@vsphere.local');
    expect(unknown.record.message).toMatch(/incorrect user name or password/);
    expect((await runFails(c, 'Connect-VIServer -Server vc.example.com')).record.message).toMatch(/Could not resolve the requested VC server/);
  });
});

describe('the NKP migration from the material', () => {
  it('Get-VM | Where-Object {$_.Name -like "db*"} | Set-VM -KeyProvider $nkp really re-keys, and shows in getView()', async () => {
    const { lab } = await openFlowLab('console-migration');
    const c = await connected(lab);
    await withNkp(c);
    await runOk(c, '$nkp = Get-KeyProvider -Name NKP-Primary');
    const before = vmView(lab, 'db-01').encryption!;
    await runOk(c, 'Get-VM | Where-Object {$_.Name -like "db*"} | Set-VM -KeyProvider $nkp');
    const after = vmView(lab, 'db-01').encryption!;
    expect(after.providerName).toBe('NKP-Primary');
    expect(after.keyId).not.toBe(before.keyId);
    // Shallow: the DEK stays, the VM keeps running, the other VM is untouched.
    expect(after.dekFingerprint).toBe(before.dekFingerprint);
    expect(vmView(lab, 'db-01').power).toBe('on');
    expect(vmView(lab, 'web-01').encryption!.providerName).toBe('KMS-Cluster');
    await expectGuestData(lab, 'db-01');
    expect((await runOk(c, '(Get-VM db-01).KeyProvider')).lastOutput).toEqual(['NKP-Primary']);
  });

  it('Set-VM -VM $vm -KeyProvider $nkp -RunAsync returns a task that Get-Task and Wait-Task follow', async () => {
    const { lab } = await openFlowLab('console-runasync');
    const c = await connected(lab);
    await withNkp(c);
    const started = await runOk(c, '$vm = Get-VM -Name "web-01"; $nkp = Get-KeyProvider -Name "NKP-Primary"; $t = Set-VM -VM $vm -KeyProvider $nkp -RunAsync -Confirm:$false; $t');
    expect(started.text).toMatch(/ReconfigVM_Task/);
    await runOk(c, 'Wait-Task -Task $t');
    const tasks = await runOk(c, 'Get-Task | Where-Object {$_.Id -eq $t.Id} | Select-Object -ExpandProperty State');
    expect(tasks.lastOutput).toEqual(['Success']);
    expect(vmView(lab, 'web-01').encryption!.providerName).toBe('NKP-Primary');
  });

  it("a task that fails while it runs is reported by Wait-Task with the lab's reason", async () => {
    const { lab } = await openFlowLab('console-task-fail');
    const c = await connected(lab);
    // Refused before it starts: the module's pre-check is the command's precondition (deep re-key needs the VM off).
    const early = await runFails(c, 'Get-VM db-01 | Set-VMEncryptionKey -Deep');
    expect(early.record.message).toBe(checkCommand(lab.getView(), { type: 'vm.rekeyDeep', vmId: 'db-01' })!.reason);
    // Fails while it runs: no KMS node answers, which only the handler can find out.
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await must(lab, { type: 'kms.down', kmsId: 'kms-b' });
    await runOk(c, '$t = Get-VM app-01 | Enable-VMEncryption');
    const failed = await runFails(c, 'Wait-Task $t');
    const task = c.session.tasks.at(-1)!;
    expect(task.state).toBe('Error');
    expect(task.result).toMatchObject({ ok: false });
    expect(failed.record.message).toBe(task.result!.ok ? '' : task.result!.reason);
    expect((await runOk(c, '(Get-Task | Select-Object -Last 1).State')).lastOutput).toEqual(['Error']);
    expect(vmView(lab, 'app-01').encryption).toBeNull();
  });
});

describe('refusals carry the reason the UI shows', () => {
  it('Start-VM on a locked VM: the precondition\'s VM_LOCKED reason', async () => {
    const { lab } = await openFlowLab('console-locked');
    const c = await connected(lab);
    await runOk(c, 'Restart-VMHost esx-01.lab.local -Confirm:$false');
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await must(lab, { type: 'kms.down', kmsId: 'kms-b' });
    await refused(lab, { type: 'vm.powerOn', vmId: 'db-01' }); // the first try finds the key missing and locks the VM
    expect(vmView(lab, 'db-01').locked).not.toBeNull();
    const ui = checkCommand(lab.getView(), { type: 'vm.powerOn', vmId: 'db-01' })!;
    const error = await runFails(c, 'Start-VM -VM db-01');
    expect(error.record.message).toBe(ui.reason);
    expect(error.record.labCode).toBe('VM_LOCKED');
    expect(error.text).toMatch(/^Start-VM : VM db-01 is locked/);
    expect(error.text).toContain('At line:1 char:1\n+ Start-VM -VM db-01\n+ ~~~~~~~~~~~~~~~~~~');
    expect(error.text).toContain('FullyQualifiedErrorId : VM_LOCKED,VMware.VimAutomation.ViCore.Cmdlets.Commands.StartVM');
    expect(vmView(lab, 'db-01').power).toBe('off');
    // Once a KMS node is back, Unlock-VM and Start-VM work from the console.
    await must(lab, { type: 'kms.restore', kmsId: 'kms-b' });
    await runOk(c, 'Get-VM db-01 | Unlock-VM | Start-VM');
    expect(vmView(lab, 'db-01')).toMatchObject({ power: 'on', locked: null });
  });

  it('Enable-VMEncryption on a running VM is refused at once with the precondition\'s words; -WhatIf changes nothing', async () => {
    const { lab } = await openFlowLab('console-encrypt');
    const c = await connected(lab);
    const error = await runFails(c, 'Get-VM edge-01 | Enable-VMEncryption');
    expect(error.record.message).toBe(checkCommand(lab.getView(), { type: 'vm.encrypt', vmId: 'edge-01' })!.reason);
    const events = lab.getView().events.length;
    const whatIf = await runOk(c, 'Stop-VM edge-01 -WhatIf');
    expect(whatIf.text).toBe('What if: Performing the operation "Stop-VM" on target "edge-01".');
    expect(vmView(lab, 'edge-01').power).toBe('on');
    expect(lab.getView().events.length).toBe(events);
    await runOk(c, 'Stop-VM edge-01 -Confirm:$false; $t = Get-VM edge-01 | Enable-VMEncryption; Wait-Task $t');
    expect(vmView(lab, 'edge-01').encryption).not.toBeNull();
    await expectGuestData(lab, 'edge-01');
  });

  it('asks before Stop-VM: No leaves the VM on; without a prompt it says so', async () => {
    const { lab } = await openFlowLab('console-confirm');
    const no = await connected(lab, { confirm: async () => 'no' });
    await runOk(no, 'Stop-VM db-01');
    expect(vmView(lab, 'db-01').power).toBe('on');
    const headless = await connected(lab, {});
    const error = await runFails(headless, 'Stop-VM db-01');
    expect(error.record.message).toMatch(/NonInteractive mode/);
    expect(vmView(lab, 'db-01').power).toBe('on');
  });
});

describe('key providers', () => {
  it("Export-KeyProvider's bytes are the real .p12: the lab's reader opens them with the password", async () => {
    const { lab } = await openFlowLab('console-export');
    const c = await connected(lab);
    const { file, bytes } = await withNkp(c);
    expect(file.get('FullName')).toBe('C:\\backup\\NKP-Primary.p12');
    const { importNkpBackup } = await loadNkpBackup();
    const contents = await importNkpBackup(bytes, 'S3cret!pw');
    const nkp = lab.getView().vcenter!.keyProviders.find((p) => p.name === 'NKP-Primary')!;
    expect(contents.providerName).toBe('NKP-Primary');
    expect(nkp.kind === 'native' && contents.keyId).toBe(nkp.kind === 'native' ? nkp.keyId : null);
    await expect(importNkpBackup(bytes, 'wrong')).rejects.toThrow();
    expect(nkp.kind === 'native' && nkp.status).not.toBe('notBackedUp');
    // A plain string is not a SecureString, as in PowerShell.
    const plain = await runFails(c, 'Export-KeyProvider -KeyProvider NKP-Primary -FilePath C:\\b.p12 -Password "pw"');
    expect(plain.record.errorId).toBe('ParameterArgumentTransformationError');
    expect((await runFails(c, `Export-KeyProvider -KeyProvider KMS-Cluster -FilePath C:\\kms.p12 -Password ${PW}`)).record.message).toMatch(/only a Native Key Provider/);
  });

  it('Set-KeyProvider -DefaultForSystem makes the default; Import-KeyProvider restores the NKP in a new vCenter (doomsday A)', async () => {
    const { lab } = await openFlowLab('console-import');
    const c = await connected(lab);
    await withNkp(c);
    await runOk(c, 'Get-KeyProvider -Name NKP-Primary | Set-KeyProvider -DefaultForSystem');
    const nkpId = lab.getView().vcenter!.keyProviders.find((p) => p.name === 'NKP-Primary')!.id;
    expect(lab.getView().vcenter!.defaultProviderId).toBe(nkpId);
    await runOk(c, 'Set-VM db-01 -KeyProvider NKP-Primary -Confirm:$false');
    await must(lab, { type: 'vcenter.destroy' });
    expect((await runFails(c, 'Get-VM')).record.message).toMatch(/destroyed/);
    await must(lab, { type: 'vcenter.deploy' });
    await runOk(c, 'Connect-VIServer -Server vcsa-01.lab.local');
    const wrong = await runFails(c, 'Import-KeyProvider -FilePath C:\\backup\\NKP-Primary.p12 -Password (ConvertTo-SecureString "nope" -AsPlainText -Force)');
    expect(wrong.record.labCode).toBeTruthy();
    expect(lab.getView().vcenter!.keyProviders).toHaveLength(0);
    const restored = await runOk(c, `Import-KeyProvider -FilePath C:\\backup\\NKP-Primary.p12 -Password ${PW}`);
    expect(restored.text).toMatch(/NKP-Primary/);
    expect(lab.getView().vcenter!.keyProviders.map((p) => p.name)).toEqual(['NKP-Primary']);
    await runOk(c, 'Add-VMHost esx-01.lab.local -Location Cluster-01 -User root -Password x -Force');
    expect(lab.getView().vcenter!.hostIds).toContain('esx-01');
    // The host reports the keys it holds in memory; its running VMs come back with it.
    expect(vmView(lab, 'db-01').registered).toBe(true);
    expect((await runOk(c, 'Get-VM db-01 | Select-Object -ExpandProperty KeyProvider')).lastOutput).toEqual(['NKP-Primary']);
    await expectGuestData(lab, 'db-01');
  });

  it('Add-KeyManagementServer adds a standard provider over the lab\'s KMS nodes; Get-KeyManagementServer lists them', async () => {
    const { lab } = await openFlowLab('console-kms');
    const c = await connected(lab);
    await runOk(c, 'Add-KeyManagementServer -Name kms-a -Address kms-a.lab.local, kms-b.lab.local -Port 5696 -KmsCluster KMS-2');
    const p = lab.getView().vcenter!.keyProviders.find((x) => x.name === 'KMS-2');
    expect(p?.kind === 'standard' && p.kmsNodeIds).toEqual(['kms-a', 'kms-b']);
    const list = await runOk(c, 'Get-KeyManagementServer -KeyProvider KMS-2');
    expect(list.lastOutput.map(String)).toEqual(['kms-a', 'kms-b']);
    expect((await runFails(c, 'Add-KeyManagementServer -Name x -Address kms-z.example.com -KmsCluster KMS-3')).record.message).toMatch(/no KMS answers there/);
  });
});

describe('VM operations', () => {
  it('deep re-key with Set-VMEncryptionKey -Deep changes the DEK; snapshots block it until removed', async () => {
    const { lab } = await openFlowLab('console-deep');
    const c = await connected(lab);
    await runOk(c, 'Stop-VM db-01 -Confirm:$false');
    await runOk(c, 'New-Snapshot -VM db-01 -Name before-rekey');
    expect(vmView(lab, 'db-01').snapshots).toBe(1);
    const blocked = await runFails(c, 'Get-VM db-01 | Set-VMEncryptionKey -Deep');
    expect(blocked.record.labCode).toBe('VM_HAS_SNAPSHOTS');
    await runOk(c, 'Get-Snapshot -VM db-01 | Remove-Snapshot -Confirm:$false');
    expect(vmView(lab, 'db-01').snapshots).toBe(0);
    const dek = vmView(lab, 'db-01').encryption!.dekFingerprint;
    await runOk(c, 'Get-VM db-01 | Set-VMEncryptionKey -Deep | Wait-Task');
    expect(vmView(lab, 'db-01').encryption!.dekFingerprint).not.toBe(dek);
    await runOk(c, 'Start-VM db-01');
    await expectGuestData(lab, 'db-01');
  });

  it('Remove-VM keeps the files, New-VM -VMFilePath registers the VM again; Move-VM migrates', async () => {
    const { lab } = await openFlowLab('console-register');
    const c = await connected(lab);
    await runOk(c, 'Move-VM -VM web-01 -Destination esx-01.lab.local');
    expect(vmView(lab, 'web-01').hostId).toBe('esx-01');
    await runOk(c, 'Remove-VM app-01 -Confirm:$false');
    expect(vmView(lab, 'app-01').registered).toBe(false);
    expect((await runFails(c, 'Get-VM app-01')).record.errorId).toBe('Core_OutputHelper_WriteNotFoundError');
    const paths = (await runOk(c, 'Get-Datastore | Select-Object -ExpandProperty VMFilePaths')).lastOutput;
    expect(paths).toContain('[ds-shared-01] app-01/app-01.vmx');
    const registered = await runOk(c, 'New-VM -VMFilePath "[ds-shared-01] app-01/app-01.vmx"');
    expect(registered.lastOutput.map(String)).toEqual(['app-01']);
    expect(vmView(lab, 'app-01').registered).toBe(true);
  });
});

describe('PowerShell as administrators type it', () => {
  it('binds unambiguous prefixes and positions, and names an ambiguous or unknown parameter', async () => {
    const { lab } = await openFlowLab('console-binding');
    const c = await connected(lab);
    expect((await runOk(c, 'Get-VM -N db-01')).lastOutput.map(String)).toEqual(['db-01']);
    await runOk(c, 'Stop-VM db-01 -Conf:$false');
    expect(vmView(lab, 'db-01').power).toBe('off');
    const ambiguous = await runFails(c, 'Get-VIEvent -S 0');
    expect(ambiguous.record.message).toBe("Parameter cannot be processed because the parameter name 'S' is ambiguous. Possible matches include: -Start -Server.");
    expect(ambiguous.record.errorId).toBe('AmbiguousParameter');
    const missing = await runFails(c, 'Get-VM -Name');
    expect(missing.record.message).toBe("Missing an argument for parameter 'Name'. Specify a parameter of type 'System.String[]' and try again.");
    const positional = await runFails(c, 'Get-VM db-01 web-01');
    expect(positional.record.message).toBe("A positional parameter cannot be found that accepts argument 'web-01'.");
    const undefinedVar = await runFails(c, 'Set-VM db-01 -KeyProvider $nkpp -Confirm:$false');
    expect(undefinedVar.text).toContain("The variable '$nkpp' cannot be retrieved because it has not been set.");
    expect(undefinedVar.text).toContain('At line:1 char:27\n+ Set-VM db-01 -KeyProvider $nkpp -Confirm:$false\n+                           ~~~~~');
    const unknown = await runFails(c, 'Get-KeyProviders');
    expect(unknown.text).toContain('FullyQualifiedErrorId : CommandNotFoundException');
    expect((await runOk(c, '"VM $((Get-VM db-01).Name) is $((Get-VM db-01).PowerState)"')).text).toBe('VM db-01 is PoweredOff');
    // Nothing found upstream: one error (the name), and the next cmdlet has nothing to act on.
    expect((await runFails(c, 'Get-VM nothere | Start-VM')).record.errorId).toBe('Core_OutputHelper_WriteNotFoundError');
    expect((await runOk(c, 'Get-VM db-01 | Get-VMHost')).lastOutput.map(String)).toEqual(['esx-01.lab.local']);
    expect((await runOk(c, 'Get-VM | Where-Object {$_.Name -eq "none"} | Measure-Object')).text).toMatch(/Count +: 0/);
  });

  it('prints parser errors with their position and leaves the lab untouched', async () => {
    const { lab } = await openFlowLab('console-parse');
    const c = await connected(lab);
    const events = lab.getView().events.length;
    const r = await runFails(c, 'Stop-VM db-01 -Confirm:$false; Get-VM "db-01');
    expect(r.text).toContain('The string is missing the terminator: ".');
    expect(r.text).toContain('FullyQualifiedErrorId : TerminatorExpectedAtEndOfString');
    // A parse error stops the whole input before anything runs, as in PowerShell.
    expect(vmView(lab, 'db-01').power).toBe('on');
    expect(lab.getView().events.length).toBe(events);
  });

  it('hostile input: 100,000 items flow through, a budget stops endless work, nesting and long lines are refused', async () => {
    const { lab } = await openFlowLab('console-hostile');
    const c = await connected(lab);
    const before = JSON.stringify(lab.getView().vms);
    expect((await runOk(c, '1..100000 | ForEach-Object { $_ } | Where-Object { $_ -ge 0 -or $false } | Measure-Object')).text).toMatch(/Count +: 100000/);
    const budget = await runFails(c, '1..1000000 | ForEach-Object { 1..3 | ForEach-Object { $_ } }; Stop-VM db-01 -Confirm:$false');
    expect(budget.record.errorId).toBe('StepBudgetExceeded');
    expect(vmView(lab, 'db-01').power).toBe('on'); // nothing after the budget ran
    expect((await runFails(c, '1..5000000')).record.errorId).toBe('PipelineTooLarge');
    expect((await runFails(c, `Get-VM | Where-Object ${'{'.repeat(5000)}${'}'.repeat(5000)}`)).record.errorId).toBe('NestingTooDeep');
    expect((await runFails(c, `Get-VM -Name "${'x'.repeat(10_000)}"`)).record.message).toMatch(/was not found/);
    expect((await runFails(c, `Get-VM ${'y'.repeat(100_000)}`)).record.errorId).toBe('LineTooLong');
    expect((await runFails(c, '"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" -match "(a+)+$"')).record.errorId).toBe('RegexRefused');
    expect(JSON.stringify(lab.getView().vms)).toBe(before);
  });

  it('Get-Help says what the lab supports; Get-Command lists the cmdlets', async () => {
    const { lab } = await openFlowLab('console-help');
    const c = consoleFor(lab);
    const help = await runOk(c, 'Get-Help Export-KeyProvider');
    expect(help.text).toContain('Export-KeyProvider [-FilePath] <String> -KeyProvider <Object[]> [-Password <SecureString>]');
    expect(help.text).toContain('IN THIS LAB');
    expect((await runFails(c, 'Get-Help New-VMFolder')).record.message).toMatch(/does not support it/);
    const commands = (await runOk(c, 'Get-Command -Module VMware.VMEncryption')).lastOutput.map(String);
    expect(commands).toEqual(['Disable-VMEncryption', 'Enable-VMEncryption', 'Enable-VMHostCryptoSafe', 'Get-VMEncryptionInfo', 'Set-VMEncryptionKey']);
    expect(errorsOf(await c.run('Get-Help'))).toEqual([]);
  });
});
