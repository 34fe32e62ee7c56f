// The home page: what keylab is, and the way into the lab (and the browser check).
import Link from 'next/link';

const points: [title: string, text: string][] = [
  ['A datacenter to break', 'vCenter, three ESXi hosts (two with TPM 2.0), a two-node KMS cluster, a shared datastore and three VMs.'],
  ['Real encryption', 'Every key is a WebCrypto key and every encrypted disk sector is really AES-256-GCM ciphertext in your browser’s storage.'],
  ['See what the product hides', 'A live key map shows where each KDK, KEK and DEK lives; the datastore browser shows the .vmx and the raw sectors.'],
];

export default function Home() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-12">
      <h1 className="text-3xl font-semibold">keylab</h1>
      <p className="mt-4 text-lg text-slate-800 dark:text-slate-200">
        A training lab for vSphere VM encryption and key management. The datacenter is simulated; the encryption is real.
      </p>
      <ul className="mt-6 grid gap-3 sm:grid-cols-3">
        {points.map(([title, text]) => (
          <li key={title} className="rounded-lg border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
            <h2 className="text-sm font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{text}</p>
          </li>
        ))}
      </ul>
      <div className="mt-8 flex flex-wrap items-center gap-4">
        <Link
          className="inline-block rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-700"
          href="/lab"
        >
          Open the lab
        </Link>
        <Link className="text-blue-800 underline underline-offset-2 dark:text-sky-300" href="/diagnostics">
          Check this browser first
        </Link>
      </div>
      <p className="mt-6 text-sm text-slate-700 dark:text-slate-300">
        Everything stays in this browser: nothing is sent anywhere. The lab is saved as you go; reload and it is where you left it.
      </p>
    </main>
  );
}
