// Whether this host can send from a box's egress addresses. A signed call bound to an address the
// host does not have fails with EADDRNOTAVAIL — on every call, long after start. Binding a UDP
// socket to the address (port 0, nothing sent) asks the kernel the same question up front: on
// Linux the whole of 127.0.0.0/8 answers yes, which is what the loopback topology relies on.
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { ValidationError } from '../../core/errors.ts';
import type { Box, Topology } from '../../core/fleet/topology.schema.ts';

/** The answer for one address: usable, or the errno the kernel gave (EADDRNOTAVAIL…). */
export interface AddressProbe {
  address: string;
  ok: boolean;
  code?: string;
}

/** Asks whether a socket can be bound to `address` on this host. */
export type ProbeAddress = (address: string) => Promise<AddressProbe>;

/** Binds a UDP socket to `address` port 0 and closes it again. */
export const bindProbe: ProbeAddress = (address) => new Promise((resolve) => {
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  socket.once('error', (error: NodeJS.ErrnoException) => {
    socket.close();
    resolve({ address, ok: false, code: error.code ?? String(error) });
  });
  socket.bind({ address, port: 0, exclusive: true }, () => {
    socket.close();
    resolve({ address, ok: true });
  });
});

/** One box's egress addresses and what the probe said of each. */
export interface BoxEgress {
  box: string;
  probes: AddressProbe[];
}

/** Probes the egress addresses of `boxes` (default: every box that lists any). */
export async function checkEgress(topology: Topology, boxes?: readonly string[], probe: ProbeAddress = bindProbe): Promise<BoxEgress[]> {
  const chosen: Box[] = boxes ? topology.boxes.filter((b) => boxes.includes(b.name)) : topology.boxes.filter((b) => (b.egressIps?.length ?? 0) > 0);
  return Promise.all(chosen.map(async (b) => ({ box: b.name, probes: await Promise.all((b.egressIps ?? []).map(probe)) })));
}

/** The refusal of a box whose egress addresses are not all on this host; null when they are. */
export function missingEgress(results: readonly BoxEgress[], topologyName: string): ValidationError | null {
  const missing = results.flatMap((r) => r.probes.filter((p) => !p.ok).map((p) => `${r.box} ${p.address} (${p.code})`));
  if (missing.length === 0) return null;
  return new ValidationError(
    `egress address not on this host: ${missing.join(', ')}; every signed call from it would fail. `
    + `Topology ${topologyName} is for other hosts: set KRAITE_TOPOLOGY to this host's topology (infra/topology.local.json for a one-host fleet) `
    + 'and check it with `kraite topology --check`',
    'EGRESS_UNAVAILABLE',
  );
}
