// The page for any path the static export does not have (served as out/404.html). keylab's own, styled with the
// lab's CSS: Next.js's default one sets inline style attributes, which the lab's Content-Security-Policy blocks.
import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-12">
      <h1 className="text-3xl font-semibold">Page not found</h1>
      <p className="mt-4 text-slate-800 dark:text-slate-200">There is no page at this address in keylab (404).</p>
      <p className="mt-4 flex gap-4">
        <Link className="text-blue-800 underline dark:text-sky-300" href="/lab">
          Open the lab
        </Link>
        <Link className="text-blue-800 underline dark:text-sky-300" href="/">
          Home: lessons
        </Link>
      </p>
    </main>
  );
}
