'use client';
// The datastore browser: each VM folder, its files, and the .vmx / disk descriptor as text with the
// encryption fields highlighted. The datastore outlives vCenter and hosts, so this works whatever else is broken.
import { useState } from 'react';
import type { Lab, LabView, VmView } from '@/machines/lab-types';
import { useAsyncRead } from './use-async-read';
import { FileViewer } from './file-viewer';
import { PickList } from '../ui/pick-list';

type FileEntry = Awaited<ReturnType<Lab['listDatastoreFiles']>>[number];

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** What, in the view, can change the files on this datastore (never the clock, so ticking time reads nothing). */
function datastoreRevision(view: LabView, datastoreId: string): string {
  return JSON.stringify([
    view.datastores.find((d) => d.id === datastoreId)?.folders,
    view.vms
      .filter((v) => v.datastoreId === datastoreId)
      .map((v) => [v.id, v.registered, v.encryption, v.homeEncryption?.keyId, v.vtpm, v.snapshots, v.power, v.locked?.reason, v.operation?.kind]),
  ]);
}

const LIST_BUTTON =
  'flex w-full items-center justify-between gap-2 rounded px-2 py-1 text-left text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-600';
const IDLE = 'text-slate-900 hover:bg-slate-200 dark:text-slate-100 dark:hover:bg-slate-800';

function StatusText({ children, tone = 'muted' }: { children: React.ReactNode; tone?: 'muted' | 'error' }) {
  return (
    <p
      role={tone === 'error' ? 'alert' : undefined}
      className={tone === 'error' ? 'text-sm text-red-800 dark:text-red-300' : 'text-sm text-slate-700 dark:text-slate-300'}
    >
      {children}
    </p>
  );
}

function RetryButton({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="mt-1 rounded border border-slate-400 px-2 py-0.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-slate-500 dark:hover:bg-slate-800"
    >
      Try again
    </button>
  );
}

/** `folder` set: only that VM's folder (the VM page's Files tab), without the folder list. */
export function DatastoreBrowser(props: { lab: Lab; view: LabView; datastoreId: string; folder?: string }) {
  const { lab, view, datastoreId, folder: onlyFolder } = props;
  const datastore = view.datastores.find((d) => d.id === datastoreId);
  const [chosenFolder, setChosenFolder] = useState<string | null>(null);
  const [chosenPath, setChosenPath] = useState<string | null>(null);

  const folders = (datastore?.folders ?? []).filter((f) => onlyFolder === undefined || f === onlyFolder);
  const folder = chosenFolder && folders.includes(chosenFolder) ? chosenFolder : (folders[0] ?? null);
  const revision = datastoreRevision(view, datastoreId);

  const [files, retryFiles] = useAsyncRead<FileEntry[]>(
    folder === null ? null : `${datastoreId}\u0000${folder}\u0000${revision}`,
    () => lab.listDatastoreFiles(datastoreId, folder ?? ''),
  );
  const fileList = files?.status === 'ready' ? files.value : files?.previous;
  const sameFolder = fileList?.every((f) => f.path.startsWith(folder ?? '')) ?? false;
  const listed = sameFolder ? fileList : undefined;
  const path =
    chosenPath && listed?.some((f) => f.path === chosenPath)
      ? chosenPath
      : (listed?.find((f) => f.kind === 'vmx')?.path ?? listed?.[0]?.path ?? null);

  const [content, retryContent] = useAsyncRead<{ path: string; text: string }>(
    path === null ? null : `${datastoreId}\u0000${path}\u0000${revision}`,
    async () => ({ path: path ?? '', text: await lab.readDatastoreFile(datastoreId, path ?? '') }),
  );

  if (!datastore) {
    return <StatusText tone="error">This datastore is not in the lab any more.</StatusText>;
  }
  const vmOf = (f: string): VmView | undefined => view.vms.find((v) => v.datastoreId === datastoreId && v.folder === f);
  const shown = content?.status === 'ready' ? content.value : content?.previous;
  const current = shown && shown.path === path ? shown : undefined;

  return (
    <section aria-labelledby="ds-browser-title" className="flex flex-col gap-3">
      <div>
        <h3 id="ds-browser-title" className="text-lg font-semibold text-slate-900 dark:text-slate-100">
          Files on {datastore.name}
        </h3>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Shared storage: it keeps each VM’s folder even when vCenter or a host is gone. Capacity{' '}
          {formatSize(datastore.capacityBytes)}.
        </p>
      </div>
      {/* Folders | files | viewer side by side where there is room; stacked on a phone. */}
      <div
        className={`grid grid-cols-1 gap-3 ${onlyFolder === undefined ? 'md:grid-cols-[11rem_13rem_minmax(0,1fr)]' : 'sm:grid-cols-[13rem_minmax(0,1fr)]'}`}
      >
        <nav aria-label="VM folders" className={onlyFolder === undefined ? 'flex flex-col gap-1' : 'hidden'}>
          <h4 className="text-sm font-semibold text-slate-900 dark:text-slate-100">Folders</h4>
          {folders.length === 0 ? (
            <StatusText>No VM folders on this datastore.</StatusText>
          ) : (
            <PickList
              items={folders}
              keyOf={(f) => f}
              current={folder}
              onPick={(f) => {
                setChosenFolder(f);
                setChosenPath(null);
              }}
              buttonClassName={LIST_BUTTON}
              idleClassName={IDLE}
            >
              {(f) => {
                const vm = vmOf(f);
                return (
                  <>
                    <span className="truncate">{f}/</span>
                    {vm?.encryption ? (
                      <span className="shrink-0 text-xs">encrypted</span>
                    ) : vm?.homeEncryption ? (
                      <span className="shrink-0 text-xs">VM home encrypted</span>
                    ) : null}
                  </>
                );
              }}
            </PickList>
          )}
        </nav>

        <div className="flex flex-col gap-1" aria-label={folder ? `Files in ${folder}` : 'Files'} role="group">
          <h4 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{folder ? `${folder}/` : 'Files'}</h4>
          {folder === null ? null : files?.status === 'error' ? (
            <div>
              <StatusText tone="error">Could not list the folder: {files.message}</StatusText>
              <RetryButton onClick={retryFiles} />
            </div>
          ) : !listed ? (
            <StatusText>Listing files…</StatusText>
          ) : listed.length === 0 ? (
            <StatusText>This folder is empty.</StatusText>
          ) : (
            <PickList items={listed} keyOf={(f) => f.path} current={path} onPick={(f) => setChosenPath(f.path)} buttonClassName={LIST_BUTTON} idleClassName={IDLE}>
              {(f) => (
                <>
                  <span className="truncate font-mono text-xs">{f.path.slice(f.path.lastIndexOf('/') + 1)}</span>
                  <span className="shrink-0 text-xs">{formatSize(f.size)}</span>
                </>
              )}
            </PickList>
          )}
        </div>

        <div className="flex min-w-0 flex-col gap-1">
          <h4 className="truncate text-sm font-semibold text-slate-900 dark:text-slate-100">
            {path ? path.slice(path.lastIndexOf('/') + 1) : 'No file open'}
          </h4>
          {path === null ? (
            <StatusText>{listed ? 'Choose a file to read it.' : ''}</StatusText>
          ) : content?.status === 'error' ? (
            <div>
              <StatusText tone="error">Could not read {path}: {content.message}</StatusText>
              <RetryButton onClick={retryContent} />
            </div>
          ) : !current ? (
            <StatusText>Reading {path}…</StatusText>
          ) : (
            <FileViewer path={current.path} text={current.text} view={view} vm={folder ? vmOf(folder) : undefined} />
          )}
        </div>
      </div>
    </section>
  );
}
