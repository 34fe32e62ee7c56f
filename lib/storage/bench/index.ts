// The storage benchmark that runs in the learner's browser: encrypted disk write, read and deep re-encryption, each
// beside its ceiling measured on the same record size in the same run (raw AES-GCM, raw IndexedDB, plain loops).
// Pure library code: the diagnostics page and scripts/bench.mjs only call runStorageBench and runRekeyProbe.
export { runStorageBench } from './run';
export { formatFigure, type BenchFigure, type BenchOptions, type BenchResult } from './figures';
export { runRekeyProbe, type RekeyProbeOptions, type RekeyProbeResult } from './rekey-probe';
