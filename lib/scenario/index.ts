// The scenario module's public face: import from '@/lib/scenario'.
export * from './scenario-schema';
export { defaultScenario } from './default-scenario';
export * from './vsphere-version';
