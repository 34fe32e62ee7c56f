// Sends KMIP messages over TLS to a KMS on 127.0.0.1 and reads each response whole (Node only; test support).
import { connect, type TLSSocket } from 'node:tls';
import { messageLength } from '../framing';

export interface TlsOptions {
  port: number;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** PyKMIP 0.10's TLS1.2 suite offers only the ciphers it lists; the tests pick one both sides have. */
  ciphers: string;
}

export class KmipTlsConnection {
  private buffered = new Uint8Array(0);
  private waiting: ((message: Uint8Array) => void) | undefined;
  private failed: ((e: Error) => void) | undefined;

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      const joined = new Uint8Array(this.buffered.length + chunk.length);
      joined.set(this.buffered);
      joined.set(chunk, this.buffered.length);
      this.buffered = joined;
      this.deliver();
    });
    socket.on('error', (e) => this.failed?.(e));
    socket.on('close', () => this.failed?.(new Error('The KMS closed the connection')));
  }

  static open(options: TlsOptions): Promise<KmipTlsConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port: options.port,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        ciphers: options.ciphers,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        servername: undefined,
        checkServerIdentity: () => undefined,
      });
      socket.once('secureConnect', () => resolve(new KmipTlsConnection(socket)));
      socket.once('error', reject);
    });
  }

  private deliver(): void {
    const total = messageLength(this.buffered, 1 << 20);
    if (total === undefined || this.buffered.length < total || !this.waiting) return;
    const message = this.buffered.slice(0, total);
    this.buffered = this.buffered.slice(total);
    const done = this.waiting;
    this.waiting = undefined;
    done(message);
  }

  /** One request, one response; the tests send them one at a time. */
  exchange(request: Uint8Array, timeoutMs = 10_000): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No KMIP response within ${timeoutMs} ms`)), timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.failed = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.socket.write(request);
      this.deliver();
    });
  }

  close(): void {
    this.failed = undefined;
    this.socket.destroy();
  }
}
