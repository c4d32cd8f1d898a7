// A loopback port free right now, for a server of the test that must listen on a fixed port (the
// harness's Nodo in the PSP seat, its platform services in the EC seat), as a user's profile names it.
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
