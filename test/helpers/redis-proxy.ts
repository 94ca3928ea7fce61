// A TCP proxy between a shop and its Redis that can cut the connection at one chosen command, to
// put a failure exactly where a crash or a network cut would hurt most: before Redis sees the
// command (the request is lost), or after Redis ran it and before the shop hears the answer (the
// answer is lost). Everything else passes through untouched; the shop reconnects by itself.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type Cut = 'request' | 'answer';

export interface CutAt {
  /** Picks the command to cut at, from the bytes the shop writes (RESP). */
  when: (written: string) => boolean;
  cut: Cut;
}

export class RedisProxy {
  private armed: CutAt | undefined;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async start(upstreamPort: number): Promise<RedisProxy> {
    const server = net.createServer();
    const proxy = new RedisProxy(server);
    server.on('connection', (client) => proxy.join(client, upstreamPort));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Cuts the connection once, at the first command `at.when` picks; resolves when it has. */
  cutOnce(at: CutAt): Promise<void> {
    return new Promise((done) => {
      this.armed = {
        ...at,
        when: (written) => {
          const hit = at.when(written);
          if (hit) setImmediate(done);
          return hit;
        },
      };
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((done) => this.server.close(done));
  }

  private join(client: net.Socket, upstreamPort: number): void {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    const both = [client, upstream];
    for (const socket of both) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        for (const other of both) other.destroy();
      });
    }
    const cut = () => both.forEach((socket) => socket.destroy());
    let awaitingAnswer = false;
    client.on('data', (chunk: Buffer) => {
      const at = this.armed;
      if (at?.when(chunk.toString('latin1'))) {
        this.armed = undefined;
        if (at.cut === 'request') return cut();
        awaitingAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      // Redis may first ask for the script's source (EVALSHA → NOSCRIPT → EVAL): let that through.
      if (awaitingAnswer && !chunk.toString('latin1').startsWith('-NOSCRIPT')) return cut();
      client.write(chunk);
    });
  }
}
