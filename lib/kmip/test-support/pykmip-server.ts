// Starts a throwaway pykmip-server for the differential test: its own CA, server and client certificates made with
// openssl in a temp dir, its own config (127.0.0.1, a free port, a temp SQLite db, TLS 1.2), stopped by `stop()`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KmipTlsConnection, type TlsOptions } from './tls-transport';

/**
 * PyKMIP 0.10's TLS1.2 suite lists only named ciphers (none of TLS 1.3); with an EC key both sides agree on this AEAD
 * one. Its default "Basic" suite would ask for TLS 1.0, which modern OpenSSL refuses (PyKMIP issues #631, #642).
 */
const CIPHER_SPEC_NAME = 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384';
const CIPHER_OPENSSL_NAME = 'ECDHE-ECDSA-AES256-GCM-SHA384';

function openssl(dir: string, args: string[]): void {
  const out = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${out.stderr}`);
}

function makeCertificates(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=keylab test CA']);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', '127.0.0.1'],
    ['client', 'keylab-vcenter'],
  ] as const) {
    openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface PykmipServer {
  tls: TlsOptions;
  connect(): Promise<KmipTlsConnection>;
  log(): string;
  stop(): Promise<void>;
}

export async function startPykmipServer(): Promise<PykmipServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keylab-pykmip-'));
  makeCertificates(dir);
  mkdirSync(join(dir, 'policies'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'server.conf'),
    [
      '[server]',
      'hostname=127.0.0.1',
      `port=${port}`,
      `certificate_path=${join(dir, 'server.pem')}`,
      `key_path=${join(dir, 'server.key')}`,
      `ca_path=${join(dir, 'ca.pem')}`,
      'auth_suite=TLS1.2',
      `policy_path=${join(dir, 'policies')}`,
      'enable_tls_client_auth=True',
      `tls_cipher_suites=${CIPHER_SPEC_NAME}`,
      'logging_level=INFO',
      `database_path=${join(dir, 'pykmip.db')}`,
      '',
    ].join('\n'),
  );
  const logPath = join(dir, 'server.log');
  const child: ChildProcess = spawn('/usr/bin/pykmip-server', ['--config_path', join(dir, 'server.conf'), '--log_path', logPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: pykmip-server forks helpers (a multiprocessing manager, the policy monitor) that
    // outlive a signal to the parent alone, so stop() signals the whole group, which holds only what this started.
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const tls: TlsOptions = {
    port,
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'client.pem')),
    key: readFileSync(join(dir, 'client.key')),
    ciphers: CIPHER_OPENSSL_NAME,
  };
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8') + stderr;
    } catch {
      return stderr;
    }
  };
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const stop = async () => {
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    signalGroup('SIGTERM');
    if (child.exitCode === null) await exited;
    clearTimeout(timer);
    // Helpers that ignored SIGTERM go now.
    signalGroup('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  // Ready once a TLS handshake succeeds; bounded, so a server that never comes up fails the test instead of hanging.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = log();
      await stop();
      throw new Error(`pykmip-server exited (${child.exitCode}): ${text}`);
    }
    try {
      const probe = await KmipTlsConnection.open(tls);
      probe.close();
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        const text = log();
        await stop();
        throw new Error(`pykmip-server did not accept TLS within 20 s (${String(e)}): ${text}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { tls, connect: () => KmipTlsConnection.open(tls), log, stop };
}
