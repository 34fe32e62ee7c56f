// The VMware file formats the lab writes to its datastores: key locators, .vmx files and disk descriptors.

export { VmwareFormatError, type VmwareFormatErrorCode } from './vmware-format-error';
export { formatKeyLocator, parseKeyLocator, KEY_LOCATOR_MAC, type KeyLocator } from './key-locator';
export { renderVmx, parseVmx, VMX_HARDWARE_VERSION, type VmxModel } from './vmx';
export { renderVmdkDescriptor, parseVmdkDescriptor, VMDK_SECTOR_BYTES, type VmdkDescriptor } from './vmdk-descriptor';
