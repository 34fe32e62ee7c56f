// The home page: what keylab teaches, where to start (lesson 1, then the next lesson), the lessons with their status,
// and the sandbox.
import Link from 'next/link';
import { LessonCatalogue } from './catalogue/lesson-catalogue';

const points: [title: string, text: string][] = [
  ['A datacenter to break', 'vCenter, three ESXi hosts (two with TPM 2.0), a two-node KMS cluster, a shared datastore and a few VMs.'],
  ['Real encryption', 'Every key is a WebCrypto key and every encrypted disk sector is really AES-256-GCM ciphertext in your browser’s storage.'],
  ['See what the product hides', 'A live key map shows where each KDK, KEK and DEK lives; the datastore browser shows the .vmx and the raw sectors.'],
];

export default function Home() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-12">
      <h1 className="text-3xl font-semibold">keylab</h1>
      <p className="mt-4 text-lg text-slate-800 dark:text-slate-200">
        A training lab for vSphere VM encryption and key management: set up the Native Key Provider, back it up, lose vCenter and
        get every VM back. The datacenter is simulated; the encryption is real.
      </p>
      <ul className="mt-6 grid gap-3 sm:grid-cols-3">
        {points.map(([title, text]) => (
          <li key={title} className="rounded-lg border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
            <h2 className="text-sm font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{text}</p>
          </li>
        ))}
      </ul>
      <LessonCatalogue />
      <section aria-labelledby="sandbox-title" className="mt-8">
        <h2 id="sandbox-title" className="text-xl font-semibold">
          Sandbox
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">The free lab: no steps, no checks. Break anything; Reset lab brings it back.</p>
        <div className="mt-3 flex flex-wrap items-center gap-4">
          <Link
            className="inline-block rounded border border-slate-400 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
            href="/lab"
          >
            Open the sandbox
          </Link>
          <Link className="text-blue-800 underline underline-offset-2 dark:text-sky-300" href="/diagnostics">
            Check this browser first
          </Link>
        </div>
      </section>
      <p className="mt-6 text-sm text-slate-700 dark:text-slate-300">
        Everything stays in this browser: nothing is sent anywhere. Each lesson and the sandbox are saved as you go; reload and they are where you left them.
      </p>
    </main>
  );
}
