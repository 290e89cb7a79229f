import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../core/fleet/topology.ts';
import { egressLines } from '../cli/commands/topology.command.ts';
import { checkEgress, missingEgress, type ProbeAddress } from './egress-check.ts';

const topology = parseTopology({
  name: 't', boxes: [
    { name: 'athena', roles: ['ingestion'], queues: ['orders', 'indicators', 'cronjobs'].map((lane) => ({ lane, concurrency: 1 })), daemons: ['dispatcher'] },
    { name: 'eos', roles: ['trading'], egressIps: ['127.0.0.2', '203.0.113.7'], queues: [{ lane: 'positions', concurrency: 1 }] },
    { name: 'iris', roles: ['trading'], egressIps: ['127.0.0.3'], queues: [{ lane: 'priority', concurrency: 1 }] },
  ],
});
const probe: ProbeAddress = async (address) => (address.startsWith('127.') ? { address, ok: true } : { address, ok: false, code: 'EADDRNOTAVAIL' });

describe('egress check', () => {
  it('probes every box that lists egress addresses, or only the boxes named', async () => {
    expect((await checkEgress(topology, undefined, probe)).map((r) => r.box)).toEqual(['eos', 'iris']);
    expect(await checkEgress(topology, ['iris'], probe)).toEqual([{ box: 'iris', probes: [{ address: '127.0.0.3', ok: true }] }]);
    expect(await checkEgress(topology, ['athena'], probe)).toEqual([{ box: 'athena', probes: [] }]);
  });

  it('names each missing address with its box, and says nothing when all are present', async () => {
    const all = await checkEgress(topology, undefined, probe);
    expect(missingEgress(all, 't')?.message).toMatch(/^egress address not on this host: eos 203\.0\.113\.7 \(EADDRNOTAVAIL\);.*infra\/topology\.local\.json/);
    expect(missingEgress(await checkEgress(topology, ['iris'], probe), 't')).toBeNull();
    expect(egressLines(all)).toEqual([
      '  eos       127.0.0.2        ok', '  eos       203.0.113.7      MISSING (EADDRNOTAVAIL)', '  iris      127.0.0.3        ok',
    ]);
    expect(egressLines(await checkEgress(topology, ['athena'], probe))).toEqual(['  athena    (none)           default route']);
  });
});
