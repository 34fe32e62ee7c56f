// Runs after `next build` (package.json "build"): writes each exported page's Content-Security-Policy into the page
// itself as a <meta> tag, so the lab keeps its policy on any static host, even one that sends no headers at all.
// The hashes are of the inline scripts Next.js wrote into that page, so this must run on the final HTML.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withCspMeta } from './csp.mjs';

async function htmlFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [])),
  );
  return nested.flat();
}

const outDir = join(process.cwd(), process.argv[2] ?? 'out');
const files = await htmlFiles(outDir).catch((error) => {
  console.error(`csp-postbuild: cannot read ${outDir} (${error.message}); run next build first.`);
  process.exit(1);
});
for (const file of files) await writeFile(file, withCspMeta(await readFile(file, 'utf8')));
console.log(`csp-postbuild: Content-Security-Policy written into ${files.length} page(s) in ${outDir}.`);
