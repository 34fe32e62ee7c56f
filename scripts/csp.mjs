// The lab's Content-Security-Policy, computed from an exported HTML page: scripts only from the lab's own origin plus
// the exact inline scripts Next.js wrote into that page (by SHA-256 hash), so no injected script can run. Shared by the
// post-build step (scripts/csp-postbuild.mjs, a <meta> tag that goes wherever out/ is hosted) and the static server
// (the same policy as a header, plus what a <meta> policy cannot say).
import { createHash } from 'node:crypto';

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const STYLE = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi;
const META = /<meta http-equiv="Content-Security-Policy" content="[^"]*"\s*\/?>/i;

const hash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Hashes of the page's inline scripts (those without src), in page order, without duplicates. */
export function inlineScriptHashes(html) {
  const hashes = new Set();
  for (const [, attrs, body] of html.matchAll(SCRIPT)) {
    if (/\bsrc\s*=/i.test(attrs)) continue;
    // JSON data blocks are never executed, so CSP does not govern them.
    if (/\btype\s*=\s*["']?application\/(ld\+)?json/i.test(attrs)) continue;
    hashes.add(hash(body));
  }
  return [...hashes];
}

function inlineStyleHashes(html) {
  return [...new Set([...html.matchAll(STYLE)].map(([, body]) => hash(body)))];
}

/**
 * The policy for one page. frame-ancestors only works as a header (browsers ignore it in a <meta> tag), so the
 * header form adds it; the <meta> form leaves it out rather than have the console warn.
 */
export function cspForHtml(html, { header = false } = {}) {
  const directives = [
    "default-src 'self'",
    ['script-src', "'self'", ...inlineScriptHashes(html)].join(' '),
    ['style-src', "'self'", ...inlineStyleHashes(html)].join(' '),
    // The favicon is an inline data: SVG (app/layout.tsx).
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ];
  if (header) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** The page with its policy as the first thing in <head>, so it covers every script after it; idempotent. */
export function withCspMeta(html) {
  const tag = `<meta http-equiv="Content-Security-Policy" content="${cspForHtml(html.replace(META, ''))}"/>`;
  if (META.test(html)) return html.replace(META, tag);
  // After <head> and its charset declaration, if that comes first (the browser wants it in the first 1,024 bytes).
  const head = /<head\b[^>]*>(<meta charset="[^"]*"\s*\/?>)?/i.exec(html);
  if (!head) throw new Error('This page has no <head>, so there is nowhere to put its Content-Security-Policy.');
  const at = head.index + head[0].length;
  return html.slice(0, at) + tag + html.slice(at);
}
