'use client';
// The browser check: a self-test that writes a text to an encrypted test disk and reads it back after a reload,
// the storage benchmark with its figures, and the datacenter benchmark. Storage code loads only in the browser, on
// first use.
import Link from 'next/link';
import { DatacenterBench } from './datacenter-bench';
import { SelfTest } from './self-test';
import { StorageBench } from './storage-bench';

export function BrowserCheck() {
  return (
    <main className="mx-auto max-w-4xl px-4 py-8 sm:px-8">
      <p className="text-sm">
        <Link href="/" className="text-blue-700 underline underline-offset-2 hover:text-blue-900 dark:text-blue-300 dark:hover:text-blue-200">
          keylab
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-semibold">Browser check</h1>
      <p className="mt-3 max-w-3xl text-slate-700 dark:text-slate-300">
        This page checks that your browser keeps keylab’s encrypted virtual disks (real AES-256-GCM sectors in
        IndexedDB) across a reload, measures how fast it encrypts, stores and re-encrypts them, and how fast it runs a
        datacenter of 500 encrypted VMs.
      </p>
      <SelfTest />
      <StorageBench />
      <DatacenterBench />
    </main>
  );
}
