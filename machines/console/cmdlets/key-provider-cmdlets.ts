// Key providers with the official cmdlets: Get-KeyProvider, Set-KeyProvider -DefaultForSystem, Export-KeyProvider
// (the real .p12 through the lab's backup API), Import-KeyProvider (the lab's "Add > Restore from backup"),
// Add-KeyManagementServer, Get-KeyManagementServer; and ConvertTo-SecureString for their -Password.
import type { CmdletDef } from '../cmdlet';
import { kmsObject, providerObject } from '../lab-objects';
import { refusalRecord } from '../refusal-record';
import { PsObject, toPsString } from '../ps-values';
import { cmdlet, MODULE, SERVER } from './define';
import { byNames, givenOrPiped, oneProvider, providers } from './resolve';

const KEY_PROVIDER_TYPES = ['KeyProvider', 'NativeKeyProvider', 'TrustedKeyProvider'];

const getKeyProvider = cmdlet({
  name: 'Get-KeyProvider',
  module: MODULE.storage,
  needsConnection: true,
  synopsis: "Retrieves the vCenter Server's key providers (standard and native), with their status and whether each is the default.",
  labNotes: "Type is PowerCLI's KeyProviderType: KeyProvider (a standard provider over KMIP), NativeKeyProvider. An NKP's Status is the vSphere Client's: Not backed up, Warning, Active. Adding a new NKP has no PowerCLI cmdlet: use the UI (Configure > Security > Key Providers > Add > Add Native Key Provider).",
  examples: ['Get-KeyProvider', '$nkp = Get-KeyProvider -Name NKP-Primary', 'Get-KeyProvider -Type NativeKeyProvider'],
  params: [
    { name: 'Name', type: 'strings', help: 'Names, wildcards allowed (a named parameter, as in PowerCLI).' },
    { name: 'Type', type: 'strings' },
    { name: 'Id', type: 'strings' },
    SERVER,
  ],
  async run(ctx) {
    const view = ctx.view();
    let all = providers(ctx, view);
    if (ctx.args.has('Type')) {
      const types = (ctx.args.get('Type') as string[]).map((t) => t.toLowerCase());
      const bad = types.find((t) => !KEY_PROVIDER_TYPES.some((k) => k.toLowerCase() === t));
      if (bad) {
        return ctx.fail({ message: `Cannot bind parameter 'Type'. Cannot convert value "${bad}" to type "KeyProviderType". Specify one of the following enumerator names and try again: ${KEY_PROVIDER_TYPES.join(', ')}`, category: 'InvalidArgument', errorId: 'CannotConvertArgumentNoMessage', exception: 'ParameterBindingException' });
      }
      all = all.filter((p) => types.includes(p.kind === 'native' ? 'nativekeyprovider' : 'keyprovider'));
    }
    if (ctx.args.has('Id')) all = all.filter((p) => (ctx.args.get('Id') as string[]).includes(p.id));
    for (const p of byNames(ctx, all, ctx.args.get('Name') as string[] | undefined, 'KeyProvider')) ctx.write(providerObject(view, p));
  },
});

const setKeyProvider = cmdlet({
  name: 'Set-KeyProvider',
  module: MODULE.storage,
  needsConnection: true,
  synopsis: "Makes a key provider the vCenter Server's default (-DefaultForSystem).",
  labNotes: 'Only -DefaultForSystem is supported (no client certificates in the lab).',
  examples: ['Get-KeyProvider -Name NKP-Primary | Set-KeyProvider -DefaultForSystem'],
  params: [{ name: 'KeyProvider', type: 'objects', pipeline: true, mandatory: true, aliases: ['KmsCluster'] }, { name: 'DefaultForSystem', type: 'switch' }, SERVER],
  async run(ctx) {
    const given = givenOrPiped(ctx, 'KeyProvider');
    for (const value of given) {
      const p = oneProvider(ctx, value);
      if (!p) continue;
      if (ctx.args.flag('DefaultForSystem')) {
        const result = await ctx.lab.dispatch({ type: 'provider.setDefault', providerId: p.id });
        if (!result.ok) {
          ctx.writeError(refusalRecord(result, providerObject(ctx.view(), p)));
          continue;
        }
      }
      const now = ctx.view().vcenter?.keyProviders.find((x) => x.id === p.id);
      if (now) ctx.write(providerObject(ctx.view(), now));
    }
  },
});

const secureStringOf = (text: string) => new PsObject('SecureString', { Length: text.length, PlainText: text }, 'System.Security.SecureString');
/** The plain text a SecureString (or, for the lab's own prompts, a string) holds. */
export const plainTextOf = (value: unknown): string => (value instanceof PsObject && value.typeName === 'SecureString' ? toPsString(value.get('PlainText')) : toPsString(value));

const convertToSecureString = cmdlet({
  name: 'ConvertTo-SecureString',
  module: MODULE.psSecurity,
  synopsis: 'Makes a SecureString from plain text (for -Password of Export-KeyProvider and Import-KeyProvider).',
  examples: ['$pw = ConvertTo-SecureString -String "S3cret!" -AsPlainText -Force'],
  params: [
    { name: 'String', type: 'string', position: 0, pipeline: true, mandatory: true },
    { name: 'AsPlainText', type: 'switch' },
    { name: 'Force', type: 'switch' },
  ],
  async run(ctx) {
    const texts = ctx.args.has('String') ? [ctx.args.get('String')] : ctx.input;
    if (!ctx.args.flag('AsPlainText')) {
      return ctx.fail({ message: 'The lab only makes SecureStrings from plain text: add -AsPlainText -Force.', category: 'InvalidArgument', errorId: 'ImportSecureString_InvalidArgument_CryptographicError', exception: 'CryptographicException' });
    }
    for (const t of texts) ctx.write(secureStringOf(toPsString(t)));
  },
});

const exportKeyProvider = cmdlet({
  name: 'Export-KeyProvider',
  module: MODULE.security,
  needsConnection: true,
  synopsis: "Backs up a Native Key Provider to a password-protected .p12 file (the real PKCS#12 bytes, as the vSphere Client's \"Back up\").",
  labNotes:
    "The file is kept in the console under -FilePath (Import-KeyProvider can read it back) and offered for download; `openssl pkcs12 -info -nodes` opens it with the password. -Password is a SecureString; the lab recommends a password, as vSphere does. A backup moves the provider from Not backed up to Active.",
  examples: ['$pw = ConvertTo-SecureString "S3cret!" -AsPlainText -Force', 'Export-KeyProvider -KeyProvider NKP-Primary -FilePath C:\\backup\\nkp-primary.p12 -Password $pw'],
  params: [
    { name: 'FilePath', type: 'string', position: 0, mandatory: true },
    { name: 'KeyProvider', type: 'objects', pipeline: true, mandatory: true },
    { name: 'Password', type: 'secureString' },
    { name: 'Force', type: 'switch' },
    SERVER,
  ],
  async run(ctx) {
    const given = givenOrPiped(ctx, 'KeyProvider');
    const p = oneProvider(ctx, given);
    if (!p) return;
    if (p.kind !== 'native') {
      return ctx.fail({ message: `Key provider ${p.name} is a standard key provider: only a Native Key Provider can be exported (its keys live on the KMS).`, category: 'InvalidArgument', errorId: 'InvalidKeyProviderType', exception: 'VimException' });
    }
    let path = ctx.args.get('FilePath') as string;
    if (/[\\/]$/.test(path) || !/\.[A-Za-z0-9]+$/.test(path)) path = `${path.replace(/[\\/]$/, '')}\\${p.name}.p12`;
    if (ctx.session.files.has(path.toLowerCase()) && !ctx.args.flag('Force')) {
      return ctx.fail({ message: `The file '${path}' already exists. Use -Force to overwrite it.`, category: 'InvalidOperation', errorId: 'FileExists', exception: 'IOException', target: { name: path, type: 'String' } });
    }
    const password = ctx.args.has('Password') ? plainTextOf(ctx.args.get('Password')) : '';
    let backup: { fileName: string; bytes: Uint8Array };
    try {
      backup = await ctx.lab.exportNkpBackup(p.id, password);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'FAILED';
      return ctx.fail({ message: (error as Error).message, category: 'InvalidOperation', errorId: code, exception: 'VimException', labCode: code });
    }
    ctx.session.files.set(path.toLowerCase(), { path, bytes: backup.bytes });
    const name = path.split(/[\\/]/).pop()!;
    ctx.write(new PsObject('FileInfo', { Name: name, FullName: path, Length: backup.bytes.length, Bytes: backup.bytes, VSphereFileName: backup.fileName }, path));
  },
});

const importKeyProvider = cmdlet({
  name: 'Import-KeyProvider',
  module: MODULE.security,
  needsConnection: true,
  synopsis: "Restores a Native Key Provider from its .p12 backup (the vSphere Client's \"Add > Restore from backup\"): same name, same key ID.",
  labNotes: 'The file is one the console exported or one the page handed it (the lesson\'s .p12); Get-ChildItem is not available, Get-Help Import-KeyProvider lists the files the console holds.',
  examples: ['Import-KeyProvider -FilePath C:\\backup\\nkp-primary.p12 -Password (ConvertTo-SecureString "S3cret!" -AsPlainText -Force)'],
  params: [
    { name: 'FilePath', type: 'string', position: 0, mandatory: true },
    { name: 'Password', type: 'secureString' },
    SERVER,
  ],
  async run(ctx) {
    const path = ctx.args.get('FilePath') as string;
    const file = ctx.session.files.get(path.toLowerCase()) ?? [...ctx.session.files.values()].find((f) => f.path.split(/[\\/]/).pop()!.toLowerCase() === path.toLowerCase());
    if (!file) {
      const held = [...ctx.session.files.values()].map((f) => f.path);
      return ctx.fail({
        message: `Could not find file '${path}'.${held.length ? ` The console holds: ${held.join(', ')}.` : ' The console holds no files yet: export one with Export-KeyProvider, or hand the lesson\'s .p12 to the console.'}`,
        category: 'ObjectNotFound',
        errorId: 'FileNotFound',
        exception: 'FileNotFoundException',
        target: { name: path, type: 'String' },
      });
    }
    const password = ctx.args.has('Password') ? plainTextOf(ctx.args.get('Password')) : '';
    const before = new Set(providers(ctx).map((p) => p.id));
    const result = await ctx.lab.restoreNkpFromBackup(file.bytes, password);
    if (!result.ok) return ctx.fail(refusalRecord(result, path));
    ctx.writeHost(result.message);
    const view = ctx.view();
    for (const p of providers(ctx, view).filter((x) => !before.has(x.id))) ctx.write(providerObject(view, p));
  },
});

const addKeyManagementServer = cmdlet({
  name: 'Add-KeyManagementServer',
  module: MODULE.storage,
  needsConnection: true,
  synopsis: 'Adds a KMS (KMIP server) to vCenter, creating the standard key provider (-KmsCluster) it belongs to.',
  labNotes: "The lab creates a standard key provider with its KMS nodes at once: give every node's address in -Address (comma list) for a new provider. Adding a node to an existing provider is not supported. Addresses are the lab's KMS nodes (kms-a.lab.local, ...).",
  examples: ['Add-KeyManagementServer -Name kms-a -Address kms-a.lab.local, kms-b.lab.local -Port 5696 -KmsCluster KMS-Cluster-2'],
  params: [
    { name: 'Name', type: 'string', position: 0, mandatory: true, aliases: ['Alias'] },
    { name: 'Address', type: 'strings', mandatory: true },
    { name: 'KmsCluster', type: 'string', mandatory: true, aliases: ['KeyProvider'] },
    { name: 'Port', type: 'int' },
    { name: 'Credential', type: 'object' },
    { name: 'Username', type: 'string' },
    { name: 'Password', type: 'object' },
    { name: 'ProxyAddress', type: 'string' },
    { name: 'ProxyPort', type: 'int' },
    SERVER,
  ],
  async run(ctx) {
    const view = ctx.view();
    const name = ctx.args.get('KmsCluster') as string;
    if (providers(ctx, view).some((p) => p.name.toLowerCase() === name.toLowerCase())) {
      return ctx.fail({ message: `Key provider ${name} exists already. The lab cannot add a KMS node to an existing provider; add a new provider with all its nodes in -Address.`, category: 'NotImplemented', errorId: 'NotSupportedInLab', exception: 'VimException' });
    }
    const port = ctx.args.has('Port') ? (ctx.args.get('Port') as number) : 5696;
    const nodes = (ctx.args.get('Address') as string[]).map((address) => {
      const node = view.kmsNodes.find((k) => k.address.toLowerCase() === address.toLowerCase() || k.name.toLowerCase() === address.toLowerCase());
      if (!node) {
        return ctx.fail({ message: `Cannot establish trust with the key management server at ${address}:${port}: no KMS answers there. The lab's KMS nodes: ${view.kmsNodes.map((k) => k.address).join(', ')}.`, category: 'ConnectionError', errorId: 'Client20_KmsServiceImpl_Connect', exception: 'VimException', target: { name: address, type: 'String' } });
      }
      if (node.port !== port) {
        return ctx.fail({ message: `Cannot establish trust with ${address}:${port}: the KMS listens on port ${node.port} (KMIP).`, category: 'ConnectionError', errorId: 'Client20_KmsServiceImpl_Connect', exception: 'VimException' });
      }
      return node;
    });
    const result = await ctx.lab.dispatch({ type: 'provider.addStandard', name, kmsNodeIds: nodes.map((n) => n.id) });
    if (!result.ok) return ctx.fail(refusalRecord(result, name));
    for (const node of nodes) ctx.write(kmsObject(node, name));
  },
});

const getKeyManagementServer = cmdlet({
  name: 'Get-KeyManagementServer',
  module: MODULE.storage,
  needsConnection: true,
  synopsis: "Retrieves the KMS nodes of the standard key providers, in the order vCenter tries them, with each node's status.",
  params: [
    { name: 'KeyProvider', type: 'objects', position: 0, pipeline: true, aliases: ['KmsCluster'] },
    { name: 'Name', type: 'strings' },
    SERVER,
  ],
  async run(ctx) {
    const view = ctx.view();
    let list = providers(ctx, view).filter((p) => p.kind === 'standard');
    const given = givenOrPiped(ctx, 'KeyProvider');
    if (given.length) {
      const chosen = given.map((g) => oneProvider(ctx, g)).filter((p) => p !== null);
      list = list.filter((p) => chosen.some((c) => c.id === p.id));
    }
    const rows = list.flatMap((p) => (p.kind === 'standard' ? p.kmsNodeIds : []).map((id) => ({ node: view.kmsNodes.find((k) => k.id === id)!, provider: p.name })).filter((r) => r.node));
    const named = byNames(ctx, rows.map((r) => ({ ...r, name: r.node.name })), ctx.args.get('Name') as string[] | undefined, 'KeyManagementServer');
    for (const r of named) ctx.write(kmsObject(r.node, r.provider));
  },
});

export const KEY_PROVIDER_CMDLETS: CmdletDef[] = [getKeyProvider, setKeyProvider, exportKeyProvider, importKeyProvider, addKeyManagementServer, getKeyManagementServer, convertToSecureString];
