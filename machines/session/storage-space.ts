// What the lab offers when the browser's storage is full: other labs' data in this browser with their sizes, and
// deleting one (never the open lab's). The UI reaches storage only through here.
import { DEFAULT_DB_NAME } from '@/lib/storage';
import { deleteLabData, listOtherLabData, type StoredLabData } from '@/lib/storage/origin-databases';

export type { StoredLabData };

/** Other keylab databases of this site (lessons' labs, a bench left behind), largest first. */
export function otherLabData(current: string = DEFAULT_DB_NAME): Promise<StoredLabData[]> {
  return listOtherLabData(current);
}

/** Deletes another lab's data; refuses the open lab's own database. */
export async function deleteOtherLabData(name: string, current: string = DEFAULT_DB_NAME): Promise<void> {
  if (name === current) throw new Error('The open lab’s own data is freed with Reset lab, not here.');
  await deleteLabData(name);
}
