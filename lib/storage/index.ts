// The storage layer's public face: import from '@/lib/storage'.
export { DEFAULT_DB_NAME, KeylabDb, deleteKeylabDb, openKeylabDb } from './db';
export type { DatastoreFileRow, DiskRow, ExtentRow, KeyVaultRow, LessonProgressRow, ReencryptJournalRow, SavedLabRow } from './db';
export * from './errors';
export * from './datastore-files';
export * from './virtual-disk';
export * from './reencrypt';
export * from './lab-store';
export * from './lesson-progress-store';
export * from './key-vault';
export { DEFAULT_EXTENT_SECTORS } from './layout';
export { stampedWritesIssued } from './world-stamp';
export { diskWorkerPort, inProcessPort, routeDiskWorkThrough, type DiskWorkerPort } from './disk-worker/port';
