// Connect-VIServer and Disconnect-VIServer: the console's session with the lab's vCenter (or an ESXi host directly
// when vCenter is gone). Signing in as a user is the same lab command the UI's "Signed in as" switch sends, so the
// user's role decides what the console may do, exactly as in the UI.
import type { CmdletDef } from '../cmdlet';
import { serverObject } from '../lab-objects';
import { refusalRecord } from '../refusal-record';
import { PsObject, toPsString } from '../ps-values';
import { cmdlet, MODULE } from './define';

const connectVIServer = cmdlet({
  name: 'Connect-VIServer',
  module: MODULE.core,
  synopsis: 'Connects to the lab\'s vCenter Server (or straight to an ESXi host) as one of the lab\'s users.',
  labNotes:
    "The lab's users have no passwords: -Password is accepted and not checked. -User picks the lab user (Administrator, the No cryptography administrator...), whose role decides what is allowed, as the UI's \"Signed in as\" does. Connecting to an ESXi host's name works when vCenter is down, as the host client does.",
  examples: ['Connect-VIServer -Server vcsa-01.lab.local -User administrator@vsphere.local -Password x'],
  params: [
    { name: 'Server', type: 'strings', position: 0, mandatory: true, help: "The vCenter Server's name (e.g. vcsa-01.lab.local) or an ESXi host's." },
    { name: 'Port', type: 'int' },
    { name: 'Protocol', type: 'string' },
    { name: 'User', type: 'string', aliases: ['Username'], help: 'A lab user; without it the console asks.' },
    { name: 'Password', type: 'string' },
    { name: 'Credential', type: 'object' },
    { name: 'Force', type: 'switch' },
  ],
  async run(ctx) {
    const server = (ctx.args.get('Server') as string[])[0] ?? '';
    const view = ctx.view();
    const host = view.hosts.find((h) => h.name.toLowerCase() === server.toLowerCase());
    if (host) {
      if (host.power !== 'on') {
        return ctx.fail({ message: `Could not connect to ${server}: the host is powered off.`, category: 'ConnectionError', errorId: 'Client20_ConnectivityServiceImpl_Reconnect_SoapException', exception: 'ViServerConnectionException' });
      }
      ctx.session.connection = { server: host.name, kind: 'host', hostId: host.id, user: 'root', generation: null };
      ctx.write(serverObject(view, ctx.session.connection));
      return;
    }
    const vc = view.vcenter;
    if (!vc || vc.name.toLowerCase() !== server.toLowerCase()) {
      const known = view.vcenter ? view.vcenter.name : null;
      const why =
        known === null && view.vcenterStatus !== 'running'
          ? `vCenter Server is ${view.vcenterStatus === 'destroyed' ? 'gone (destroyed)' : 'not reachable (stopped)'}. Connect to an ESXi host by name instead, e.g. ${view.hosts[0]?.name ?? 'esx-01'}.`
          : `Could not resolve the requested VC server. The lab's vCenter Server is ${known}.`;
      return ctx.fail({ message: why, category: 'ObjectNotFound', errorId: 'Client20_ConnectivityServiceImpl_Reconnect_NameResolutionFailure', exception: 'ViServerConnectionException', target: { name: server, type: 'String' } });
    }
    let user = ctx.args.has('User') ? (ctx.args.get('User') as string) : null;
    const credential = ctx.args.get('Credential');
    if (!user && credential instanceof PsObject) user = toPsString(credential.get('UserName'));
    if (!user && ctx.host.promptCredential) user = (await ctx.host.promptCredential(vc.name))?.user ?? null;
    if (!user) user = vc.currentUser;
    const match = vc.users.find((u) => u.name.toLowerCase() === user!.toLowerCase());
    const result = await ctx.lab.dispatch({ type: 'user.switch', userName: match?.name ?? user });
    if (!result.ok) {
      return ctx.fail({ ...refusalRecord(result, vc.name), message: `Cannot complete login due to an incorrect user name or password. ${result.reason} The lab's users: ${vc.users.map((u) => u.name).join(', ')}.`, category: 'PermissionDenied' });
    }
    ctx.session.connection = { server: vc.name, kind: 'vcenter', hostId: null, user: match?.name ?? user, generation: vc.generation };
    ctx.write(serverObject(ctx.view(), ctx.session.connection));
  },
});

const disconnectVIServer = cmdlet({
  name: 'Disconnect-VIServer',
  module: MODULE.core,
  synopsis: 'Closes the console\'s session with the server.',
  params: [
    { name: 'Server', type: 'objects', position: 0, pipeline: true },
    { name: 'Force', type: 'switch' },
  ],
  shouldProcess: 'High',
  async run(ctx) {
    const c = ctx.session.connection;
    if (!c) {
      ctx.writeError({ message: 'You are not currently connected to any servers.', category: 'ResourceUnavailable', errorId: 'Core_BaseCmdlet_NotConnectedError', exception: 'ViServerConnectionException' });
      return;
    }
    if (!(await ctx.shouldProcess(c.server, 'Disconnect VIServer'))) return;
    ctx.session.connection = null;
  },
});

export const SESSION_CMDLETS: CmdletDef[] = [connectVIServer, disconnectVIServer];
