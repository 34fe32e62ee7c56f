// The exported pages carry a policy that lets exactly their own inline scripts run, and no others.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cspForHtml, inlineScriptHashes, withCspMeta } from './csp.mjs';

const page =
  '<!DOCTYPE html><html><head><meta charSet="utf-8"/><script src="/_next/static/a.js" async=""></script>' +
  '<script>document.documentElement.classList.add("dark")</script></head><body>' +
  '<script>self.__next_f.push([1,"x"])</script><script type="application/json">{"a":1}</script></body></html>';
const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('Content-Security-Policy of an exported page', () => {
  it('allows the page’s own inline scripts by hash, never inline script in general', () => {
    expect(inlineScriptHashes(page)).toEqual([sha('document.documentElement.classList.add("dark")'), sha('self.__next_f.push([1,"x"])')]);
    const policy = cspForHtml(page);
    expect(policy).toContain(`script-src 'self' ${sha('document.documentElement.classList.add("dark")')}`);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy).toContain("object-src 'none'");
    // frame-ancestors is ignored (with a console warning) in a <meta> policy: only the header form has it.
    expect(policy).not.toContain('frame-ancestors');
    expect(cspForHtml(page, { header: true })).toContain("frame-ancestors 'none'");
  });

  it('puts the policy before every script, after the charset, and writing it twice changes nothing', () => {
    const once = withCspMeta(page);
    expect(once.indexOf('http-equiv="Content-Security-Policy"')).toBeGreaterThan(once.indexOf('charSet'));
    expect(once.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(once.indexOf('<script'));
    expect(withCspMeta(once)).toBe(once);
    expect(() => withCspMeta('<html><body></body></html>')).toThrow(/no <head>/);
  });
});
