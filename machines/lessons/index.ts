// The lesson runner's public face (headless): start or reopen a lesson, follow it, score it, prove it.
export * from './progress';
export * from './evaluate';
export * from './score';
export * from './proof';
export * from './actions';
export * from './baseline';
export * from './start';
export * from './lesson-run';
export * from './open-lesson';
export * from './attempts';
export * from './lesson-record-error';
