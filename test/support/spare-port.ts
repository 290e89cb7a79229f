// A loopback TCP port nobody listens on right now, for a private server a test starts.
import { createServer } from 'node:net';

/** Asks the OS for a free loopback port and releases it for the caller to bind. */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
