import { afterEach, expect, it } from 'vitest';
import { closeFlowLabs, openFlowLab } from '../flows/flow-support';
import { complete } from './completion';
import { connected } from './test-support';

afterEach(closeFlowLabs);

it('completes cmdlets, their parameters, variables and the lab objects a parameter takes', async () => {
  const { lab } = await openFlowLab('console-complete');
  const c = await connected(lab);
  expect(complete(c, 'Get-KeyP').candidates).toEqual(['Get-KeyProvider']);
  expect(complete(c, 'Get-VM | where-o').candidates).toEqual(['Where-Object']);
  expect(complete(c, 'Set-VM -Key').candidates).toEqual(['-KeyProvider']);
  expect(complete(c, 'Stop-VM -C').candidates).toEqual(['-Confirm']);
  expect(complete(c, 'Start-VM d').candidates).toEqual(['db-01']);
  expect(complete(c, 'Move-VM web-01 -Destination esx-0')).toMatchObject({ start: 28, candidates: ['esx-01.lab.local', 'esx-02.lab.local', 'esx-03.lab.local'] });
  expect(complete(c, 'Get-KeyProvider -Name K').candidates).toEqual(['KMS-Cluster']);
  expect(complete(c, 'New-VM -VMFilePath ').candidates).toContain("'[ds-shared-01] db-01/db-01.vmx'");
  await c.run('$nkp = 1');
  expect(complete(c, 'Set-VM db-01 -KeyProvider $n').candidates).toEqual(['$nkp', '$null']);
  expect(complete(c, 'Get-Nothing -x').candidates).toEqual([]);
});
