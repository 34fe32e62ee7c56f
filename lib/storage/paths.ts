// Datastore paths: "folder/sub/name", checked and split the same way everywhere.
import { DiskRangeError } from './errors';

/** Splits and checks a path: no leading, trailing or doubled slashes, no "." or ".." parts. */
export function splitPath(path: string): { folder: string; name: string } {
  const parts = path.split('/');
  if (path === '' || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new DiskRangeError(`"${path}" is not a valid datastore path (use folder/name, without leading or trailing "/").`);
  }
  const name = parts.pop()!;
  return { folder: parts.join('/'), name };
}
