// The scenario module's public face: import from '@/lib/scenario'.
export * from './scenario-schema';
export { defaultScenario } from './default-scenario';
export * from './prelude-commands';
export * from './scenario-v2';
export * from './scenario-link';
export * from './scenario-file';
export * from './variants';
export * from './vsphere-version';
