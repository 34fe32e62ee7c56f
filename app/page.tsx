import Link from 'next/link';

export default function Home() {
  return (
    <main className="mx-auto max-w-3xl p-10">
      <h1 className="text-3xl font-semibold">keylab</h1>
      <p className="mt-4 text-lg">
        A training lab for vSphere VM encryption and key management. The datacenter is simulated; the encryption is real.
      </p>
      <Link className="mt-6 inline-block rounded bg-blue-700 px-4 py-2 text-white" href="/lab">
        Open the lab
      </Link>
    </main>
  );
}
