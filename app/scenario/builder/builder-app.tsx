'use client';
// The builder's page: the form (builder-form.ts in lib/scenario makes the scenario from it), what is wrong with it in
// the builder's words, and, once it is valid, the link's length, Open in a lab, Copy link and Download file.
import Link from 'next/link';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { emptyBuilderForm, scenarioFromForm, type BuilderForm } from '@/lib/scenario/builder-form';
import { ScenarioError } from '@/lib/scenario/scenario-schema';
import type { ScenarioV2 } from '@/lib/scenario/scenario-v2';
import { Button } from '../../lab/components/ui/button';
import { downloadBytes } from '../../lab/pages/providers/download';

const field = 'rounded border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100';
const label = 'flex flex-col gap-1 text-sm font-medium text-slate-800 dark:text-slate-200';

function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

type Result = { ok: true; scenario: ScenarioV2 } | { ok: false; problems: string[] };

function build(form: BuilderForm): Result {
  try {
    return { ok: true, scenario: scenarioFromForm(form) };
  } catch (error) {
    if (error instanceof ScenarioError) return { ok: false, problems: error.problems.length ? error.problems : [error.message] };
    console.error('keylab: the builder could not make the scenario', error);
    return { ok: false, problems: ['The scenario could not be made from this form.'] };
  }
}

export function BuilderApp() {
  const [form, setForm] = useState<BuilderForm>(emptyBuilderForm);
  const [link, setLink] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const result = useMemo(() => build(form), [form]);
  const edit = (change: (draft: BuilderForm) => void) =>
    setForm((current) => {
      const draft = structuredClone(current);
      change(draft);
      return draft;
    });

  useEffect(() => {
    let live = true;
    void (async () => {
      const { scenarioLink } = await import('@/lib/scenario/scenario-link');
      const made = result.ok ? await scenarioLink(window.location.origin, result.scenario) : null;
      if (live) setLink(made);
    })();
    return () => {
      live = false;
    };
  }, [result]);

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setNote('Link copied.');
    } catch {
      setNote(`Copy this link: ${link}`);
    }
  };
  const download = async () => {
    if (!result.ok) return;
    const { scenarioFileName, scenarioFileText } = await import('@/lib/scenario/scenario-file');
    downloadBytes(new TextEncoder().encode(scenarioFileText(result.scenario)), scenarioFileName(result.scenario), 'application/json');
  };
  const invalid = result.ok ? null : 'Fix what is listed under “What is wrong” first.';

  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-4 px-4 py-8">
      <header>
        <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">
          <Link href="/" className="underline underline-offset-2">
            keylab
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Scenario builder</h1>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          Compose a datacenter, choose what has already gone wrong, then hand it to learners as a link or a file. Each learner opens it in a lab
          of their own. Guest files may use {'{{name}}'}, {'{{card}}'}, {'{{number}}'} and {'{{word}}'}.
        </p>
      </header>

      <Section title="Scenario" id="b-scenario">
        <div className="grid gap-3 sm:grid-cols-2">
          <label className={label}>
            Title
            <input className={field} value={form.title} onChange={(e) => edit((f) => void (f.title = e.target.value))} />
          </label>
          <label className={label}>
            vCenter at the start
            <select className={field} value={form.vcenter} onChange={(e) => edit((f) => void (f.vcenter = e.target.value as BuilderForm['vcenter']))}>
              <option value="running">Running</option>
              <option value="stopped">Down (database intact)</option>
              <option value="destroyed">Destroyed (database lost)</option>
            </select>
          </label>
          <label className={`${label} sm:col-span-2`}>
            Briefing
            <textarea className={field} rows={3} value={form.briefing} onChange={(e) => edit((f) => void (f.briefing = e.target.value))} />
          </label>
        </div>
      </Section>

      <Section title="ESXi hosts" id="b-hosts">
        <ul className="flex flex-col gap-2" aria-label="Hosts">
          {form.hosts.map((h, i) => (
            <li key={i} className="flex flex-wrap items-end gap-3 border-b border-slate-200 pb-2 dark:border-slate-700">
              <label className={label}>
                Host name
                <input className={field} value={h.name} onChange={(e) => edit((f) => void (f.hosts[i]!.name = e.target.value))} />
              </label>
              <label className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={h.hasTpm} onChange={(e) => edit((f) => void (f.hosts[i]!.hasTpm = e.target.checked))} /> TPM 2.0
              </label>
              <label className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={h.tpmCleared} disabled={!h.hasTpm} onChange={(e) => edit((f) => void (f.hosts[i]!.tpmCleared = e.target.checked))} /> TPM
                cleared
              </label>
              <label className={label}>
                Power
                <select className={field} value={h.power} onChange={(e) => edit((f) => void (f.hosts[i]!.power = e.target.value as 'on' | 'off'))}>
                  <option value="on">On</option>
                  <option value="off">Off</option>
                </select>
              </label>
              <Button
                size="sm"
                disabledReason={form.hosts.length === 1 ? 'A lab needs at least one host.' : null}
                onClick={() => edit((f) => {
                  f.hosts.splice(i, 1);
                  for (const vm of f.vms) vm.host = vm.host === i ? 0 : vm.host > i ? vm.host - 1 : vm.host;
                })}
              >
                Remove {h.name || 'host'}
              </Button>
            </li>
          ))}
        </ul>
        <div className="mt-2">
          <Button size="sm" onClick={() => edit((f) => void f.hosts.push({ name: `esx-${String(f.hosts.length + 1).padStart(2, '0')}.lab.local`, hasTpm: true, power: 'on', tpmCleared: false }))}>
            Add host
          </Button>
        </div>
      </Section>

      <Section title="Key providers" id="b-providers">
        <h3 className="text-sm font-semibold">Standard key provider and its KMS nodes (in the order vCenter tries them)</h3>
        <label className={`${label} mt-2 max-w-xs`}>
          Provider name
          <input className={field} value={form.providerName} onChange={(e) => edit((f) => void (f.providerName = e.target.value))} />
        </label>
        <ul className="mt-2 flex flex-col gap-2" aria-label="KMS nodes">
          {form.kmsNodes.map((k, i) => (
            <li key={i} className="flex flex-wrap items-end gap-3">
              <label className={label}>
                KMS node name
                <input className={field} value={k.name} onChange={(e) => edit((f) => void (f.kmsNodes[i]!.name = e.target.value))} />
              </label>
              <label className={label}>
                At the start
                <select className={field} value={k.fault} onChange={(e) => edit((f) => void (f.kmsNodes[i]!.fault = e.target.value as 'none' | 'down' | 'hung'))}>
                  <option value="none">Up</option>
                  <option value="down">Down (refuses connections)</option>
                  <option value="hung">Hung (no answer)</option>
                </select>
              </label>
              <Button size="sm" onClick={() => edit((f) => void f.kmsNodes.splice(i, 1))}>
                Remove {k.name || 'node'}
              </Button>
            </li>
          ))}
        </ul>
        <div className="mt-2">
          <Button size="sm" disabledReason={form.kmsNodes.length >= 8 ? 'A provider has at most 8 KMS nodes here.' : null} onClick={() => edit((f) => void f.kmsNodes.push({ name: `kms-${String.fromCharCode(97 + f.kmsNodes.length)}`, fault: 'none' }))}>
            Add KMS node
          </Button>
        </div>

        <h3 className="mt-4 text-sm font-semibold">Native Key Provider</h3>
        <label className="mt-2 flex items-center gap-1 text-sm">
          <input type="checkbox" checked={form.nkp.enabled} onChange={(e) => edit((f) => void (f.nkp.enabled = e.target.checked))} /> Add a Native Key Provider in the
          start
        </label>
        {form.nkp.enabled ? (
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            <label className={label}>
              Name
              <input className={field} value={form.nkp.name} onChange={(e) => edit((f) => void (f.nkp.name = e.target.value))} />
            </label>
            <label className={label}>
              Backup
              <select className={field} value={form.nkp.backup} onChange={(e) => edit((f) => void (f.nkp.backup = e.target.value as BuilderForm['nkp']['backup']))}>
                <option value="none">Not backed up</option>
                <option value="kept">Backed up (the learner does not get the file)</option>
                <option value="handout">Backed up, the .p12 handed to the learner</option>
              </select>
            </label>
            <label className={label}>
              Backup password
              <input className={field} value={form.nkp.password} onChange={(e) => edit((f) => void (f.nkp.password = e.target.value))} />
            </label>
            <div className="flex flex-col justify-end gap-1 text-sm">
              <label className="flex items-center gap-1">
                <input type="checkbox" checked={form.nkp.tpmOnly} onChange={(e) => edit((f) => void (f.nkp.tpmOnly = e.target.checked))} /> Use key provider only with TPM
                protected ESXi hosts
              </label>
              <label className="flex items-center gap-1">
                <input type="checkbox" checked={form.nkp.isDefault} onChange={(e) => edit((f) => void (f.nkp.isDefault = e.target.checked))} /> Default key provider
              </label>
            </div>
          </div>
        ) : null}
      </Section>

      <Section title="VMs" id="b-vms">
        <ul className="flex flex-col gap-3" aria-label="VMs">
          {form.vms.map((vm, i) => (
            <li key={i} className="flex flex-wrap items-end gap-3 border-b border-slate-200 pb-3 dark:border-slate-700">
              <label className={label}>
                VM name
                <input className={field} value={vm.name} onChange={(e) => edit((f) => void (f.vms[i]!.name = e.target.value))} />
              </label>
              <label className={label}>
                Host
                <select className={field} value={vm.host} onChange={(e) => edit((f) => void (f.vms[i]!.host = Number(e.target.value)))}>
                  {form.hosts.map((h, j) => (
                    <option key={j} value={j}>
                      {h.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className={label}>
                Power
                <select className={field} value={vm.power} onChange={(e) => edit((f) => void (f.vms[i]!.power = e.target.value as 'on' | 'off'))}>
                  <option value="on">On</option>
                  <option value="off">Off</option>
                </select>
              </label>
              <label className={label}>
                Encryption
                <select className={field} value={vm.encryption} onChange={(e) => edit((f) => void (f.vms[i]!.encryption = e.target.value as BuilderForm['vms'][number]['encryption']))}>
                  <option value="none">Not encrypted</option>
                  <option value="standard">Standard provider (KMS)</option>
                  <option value="native">Native Key Provider</option>
                </select>
              </label>
              <label className={label}>
                Guest file
                <input className={field} value={vm.fileName} onChange={(e) => edit((f) => void (f.vms[i]!.fileName = e.target.value))} />
              </label>
              <label className={`${label} grow`}>
                Its text
                <input className={field} value={vm.fileText} onChange={(e) => edit((f) => void (f.vms[i]!.fileText = e.target.value))} />
              </label>
              <Button size="sm" onClick={() => edit((f) => void f.vms.splice(i, 1))}>
                Remove {vm.name || 'VM'}
              </Button>
            </li>
          ))}
        </ul>
        <div className="mt-2">
          <Button size="sm" onClick={() => edit((f) => void f.vms.push({ name: `vm-${String(f.vms.length + 1).padStart(2, '0')}`, host: 0, power: 'off', encryption: 'none', fileName: 'notes.txt', fileText: 'Hello from {{name}}.\n' }))}>
            Add VM
          </Button>
        </div>
      </Section>

      <Section title="Share" id="b-share">
        {result.ok ? (
          <p className="text-sm text-slate-700 dark:text-slate-300" role="status" data-testid="builder-link-length">
            The scenario is valid{link ? `: its link is ${link.length.toLocaleString('en')} characters long.` : '.'}
          </p>
        ) : (
          <div role="alert" data-testid="builder-problems" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
            <h3 className="font-semibold">What is wrong</h3>
            <ul className="mt-1 list-disc pl-5">
              {result.problems.slice(0, 10).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="mt-3 flex flex-wrap gap-2">
          <Button variant="primary" disabledReason={invalid ?? (link ? null : 'Making the link…')} onClick={() => link && window.location.assign(link)}>
            Open in a lab
          </Button>
          <Button disabledReason={invalid ?? (link ? null : 'Making the link…')} onClick={() => void copy()}>
            Copy link
          </Button>
          <Button disabledReason={invalid} onClick={() => void download()}>
            Download scenario file
          </Button>
        </div>
        {note ? (
          <p role="status" className="mt-2 text-sm break-all text-slate-700 dark:text-slate-300">
            {note}
          </p>
        ) : null}
      </Section>
    </main>
  );
}
