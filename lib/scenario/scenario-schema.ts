// The scenario: the starting world of a lab (topology, power states, faults) as validated data. Never key material.
// zod/mini: the same validation as zod with a tree-shakable API, about 25 kB gzipped less in the lab's first load.
import { MIB } from '@/lib/units';
import * as z from 'zod/mini';
import { DEFAULT_VSPHERE_VERSION, VSPHERE_VERSIONS } from './vsphere-version';

const id = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lowercase letters, digits or dashes, starting with a letter or digit'));
const name = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(64, 'must be at most 64 characters'));

export const kmsNodeSchema = z.object({
  id,
  name,
  address: z.string().check(z.minLength(1), z.maxLength(253)),
  port: z._default(z.int().check(z.gte(1), z.lte(65535)), 5696),
  status: z._default(z.enum(['up', 'down', 'hung']), 'up'),
  /** How long a key created on this node takes to reach its peers (lab time). */
  replicationLagMs: z._default(z.int().check(z.gte(0), z.lte(3_600_000, 'replication lag is at most an hour')), 10_000),
});

export const standardProviderSchema = z.object({
  name,
  /** Ordered: vCenter tries the nodes in this order. */
  kmsNodeIds: z.array(id).check(z.minLength(1, 'a key provider needs at least one KMS node')),
  isDefault: z._default(z.boolean(), false),
  /**
   * vSphere 7.0 and later: the I/O timeout vCenter gives each of this provider's KMS servers (the API's
   * KmipServerInfo.timeout, in seconds). Unset: the lab's assumption (VMware documents no default).
   */
  serverTimeoutS: z.optional(z.int().check(z.gte(1, 'a server timeout is at least 1 s'), z.lte(600, 'a server timeout is at most 600 s'))),
});

export const hostSchema = z.object({
  id,
  name,
  hasTpm: z.boolean(),
  power: z._default(z.enum(['on', 'off']), 'on'),
});

export const datastoreSchema = z.object({
  id,
  name,
  capacityBytes: z.int().check(z.positive()),
});

export const guestFileSchema = z.object({
  name: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'file names use letters, digits, dot, dash and underscore')),
  text: z.string().check(z.maxLength(16 * 1024)),
});

export const vmSchema = z.object({
  id,
  name,
  datastoreId: id,
  hostId: id,
  power: z._default(z.enum(['on', 'off']), 'off'),
  diskSizeBytes: z
    .int()
    .check(
      z.gte(MIB, 'a disk needs at least 1 MiB'),
      z.lte(256 * MIB, 'a disk may hold at most 256 MiB in the lab'),
      z.refine((n) => n % 4096 === 0, 'a disk size must be a multiple of 4 KiB'),
    ),
  /** The name of a standard provider to encrypt it with at the start, or null for an unencrypted VM. */
  encryptWith: z._default(z.nullable(z.string()), null),
  vtpm: z._default(z.boolean(), false),
  guestFiles: z._default(z.array(guestFileSchema).check(z.maxLength(32)), []),
});

export const scenarioSchema = z
  .object({
    version: z.literal(1),
    title: name,
    description: z._default(z.string().check(z.maxLength(2000)), ''),
    vcenter: z.object({
      name,
      datacenter: name,
      cluster: name,
      /** The vSphere release vCenter runs; version-dependent behaviour (KMS node selection) follows it. */
      version: z._default(z.enum(VSPHERE_VERSIONS), DEFAULT_VSPHERE_VERSION),
    }),
    kmsNodes: z.array(kmsNodeSchema).check(z.maxLength(8)),
    standardProviders: z.array(standardProviderSchema).check(z.maxLength(4)),
    hosts: z.array(hostSchema).check(z.minLength(1), z.maxLength(32)),
    datastores: z.array(datastoreSchema).check(z.minLength(1), z.maxLength(4)),
    vms: z.array(vmSchema).check(z.maxLength(600)),
  })
  .check(
    z.superRefine((s, ctx) => {
      const unique = (list: { id: string }[], what: string, path: string) => {
        const seen = new Set<string>();
        list.forEach((item, i) => {
          if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `duplicate ${what} id "${item.id}"` });
          seen.add(item.id);
        });
        return seen;
      };
      const kms = unique(s.kmsNodes, 'KMS node', 'kmsNodes');
      const hosts = unique(s.hosts, 'host', 'hosts');
      const datastores = unique(s.datastores, 'datastore', 'datastores');
      unique(s.vms, 'VM', 'vms');
      const providers = new Set(s.standardProviders.map((p) => p.name));
      if (s.standardProviders.filter((p) => p.isDefault).length > 1) {
        ctx.addIssue({ code: 'custom', path: ['standardProviders'], message: 'only one key provider can be the default' });
      }
      s.standardProviders.forEach((p, i) =>
        p.kmsNodeIds.forEach((k, j) => {
          if (!kms.has(k)) ctx.addIssue({ code: 'custom', path: ['standardProviders', i, 'kmsNodeIds', j], message: `unknown KMS node "${k}"` });
        }),
      );
      s.vms.forEach((vm, i) => {
        if (!hosts.has(vm.hostId)) ctx.addIssue({ code: 'custom', path: ['vms', i, 'hostId'], message: `unknown host "${vm.hostId}"` });
        if (!datastores.has(vm.datastoreId)) {
          ctx.addIssue({ code: 'custom', path: ['vms', i, 'datastoreId'], message: `unknown datastore "${vm.datastoreId}"` });
        }
        if (vm.encryptWith !== null && !providers.has(vm.encryptWith)) {
          ctx.addIssue({ code: 'custom', path: ['vms', i, 'encryptWith'], message: `unknown key provider "${vm.encryptWith}"` });
        }
        const host = s.hosts.find((h) => h.id === vm.hostId);
        if (vm.power === 'on' && host?.power === 'off') {
          ctx.addIssue({ code: 'custom', path: ['vms', i, 'power'], message: `VM "${vm.name}" cannot run on host "${host.name}", which is off` });
        }
      });
    }),
  );

/** A scenario as written (defaults may be left out). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioVm = Scenario['vms'][number];
export type ScenarioHost = Scenario['hosts'][number];
export type ScenarioKmsNode = Scenario['kmsNodes'][number];

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Validates unknown data as a scenario, or throws a ScenarioError listing every problem with its place. */
export function parseScenario(data: unknown): Scenario {
  if (typeof data === 'object' && data !== null && 'version' in data && (data as { version: unknown }).version !== 1) {
    throw new ScenarioError(
      `This scenario is version ${String((data as { version: unknown }).version)}; this keylab reads version 1.`,
    );
  }
  const result = scenarioSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'scenario'}: ${issue.message}`);
  throw new ScenarioError(`The scenario is not valid: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`, problems);
}
