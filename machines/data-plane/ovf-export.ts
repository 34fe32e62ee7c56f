// Export OVF Template of a plain VM: an OVF 1.x descriptor (DMTF envelope: References, DiskSection, NetworkSection,
// VirtualSystem with its VirtualHardwareSection), a SHA-256 manifest, and the disk image, packed as one .ova. The disk
// is the lab's flat image (raw sectors, as the guest sees them), not VMware's compressed streamOptimized VMDK, and the
// descriptor's disk format says so.
import { openDisk, type KeylabDb } from '@/lib/storage';
import { VmDataError } from './errors';
import { ustarArchive } from './ova-archive';
import { readVmFileSet } from './vm-files-read';
import type { VmFiles } from './vm-files-model';

const MIB = 1024 * 1024;

function xml(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface OvfPackage {
  fileName: string;
  ovf: string;
  manifest: string;
  diskFileName: string;
  disk: Uint8Array;
  ova: Uint8Array;
}

export function ovfDescriptor(vm: { name: string; guestOS: string; memSizeMB: number; numvcpus: number }, disk: { fileName: string; size: number; capacityBytes: number }): string {
  const capacityMiB = Math.ceil(disk.capacityBytes / MIB);
  const item = (fields: Record<string, string | number>) =>
    `      <Item>\n${Object.entries(fields).map(([k, v]) => `        <rasd:${k}>${xml(v)}</rasd:${k}>`).join('\n')}\n      </Item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <References>
    <File ovf:href="${xml(disk.fileName)}" ovf:id="file1" ovf:size="${disk.size}"/>
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <!-- keylab: the disk file is a raw flat image of the virtual disk, not a streamOptimized VMDK -->
    <Disk ovf:capacity="${capacityMiB}" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#monolithicFlat"/>
  </DiskSection>
  <NetworkSection>
    <Info>The list of logical networks</Info>
    <Network ovf:name="VM Network">
      <Description>The VM Network network</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="${xml(vm.name)}">
    <Info>A virtual machine</Info>
    <Name>${xml(vm.name)}</Name>
    <OperatingSystemSection ovf:id="101" vmw:osType="${xml(vm.guestOS.replace(/-/g, ""))}Guest">
      <Info>The kind of installed guest operating system</Info>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>${xml(vm.name)}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>vmx-21</vssd:VirtualSystemType>
      </System>
${item({ AllocationUnits: 'hertz * 10^6', Description: 'Number of Virtual CPUs', ElementName: `${vm.numvcpus} virtual CPU(s)`, InstanceID: 1, ResourceType: 3, VirtualQuantity: vm.numvcpus })}
${item({ AllocationUnits: 'byte * 2^20', Description: 'Memory Size', ElementName: `${vm.memSizeMB}MB of memory`, InstanceID: 2, ResourceType: 4, VirtualQuantity: vm.memSizeMB })}
${item({ Address: 0, Description: 'SCSI Controller', ElementName: 'SCSI controller 0', InstanceID: 3, ResourceSubType: 'lsilogic', ResourceType: 6 })}
${item({ AddressOnParent: 0, ElementName: 'Hard disk 1', HostResource: 'ovf:/disk/vmdisk1', InstanceID: 4, Parent: 3, ResourceType: 17 })}
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}

/** The OVF package of the plain VM in [datastoreId] folder, its disk read back from the datastore. */
export async function exportOvfPackage(db: KeylabDb, vm: Pick<VmFiles, 'datastoreId' | 'folder'>, mtimeSeconds: number): Promise<OvfPackage> {
  const { files, vmx } = await readVmFileSet(db, vm.datastoreId, vm.folder);
  if (files.home || files.encryption) throw new VmDataError('ALREADY_ENCRYPTED', `VM "${files.name}" is encrypted; Export OVF Template is not supported for it.`);
  const disk = await (await openDisk(db, files.diskId, null)).read(0, files.diskSizeBytes);
  const diskFileName = `${files.name}-disk1.vmdk`;
  const ovfName = `${files.name}.ovf`;
  const ovf = ovfDescriptor({ name: files.name, guestOS: vmx.guestOS, memSizeMB: vmx.memSizeMB, numvcpus: vmx.numvcpus }, { fileName: diskFileName, size: disk.length, capacityBytes: files.diskSizeBytes });
  const ovfBytes = new TextEncoder().encode(ovf);
  const manifest = `SHA256(${ovfName})= ${await sha256Hex(ovfBytes)}\nSHA256(${diskFileName})= ${await sha256Hex(disk)}\n`;
  const ova = ustarArchive(
    [
      { name: ovfName, bytes: ovfBytes },
      { name: `${files.name}.mf`, bytes: new TextEncoder().encode(manifest) },
      { name: diskFileName, bytes: disk },
    ],
    mtimeSeconds,
  );
  return { fileName: `${files.name}.ova`, ovf, manifest, diskFileName, disk, ova };
}
