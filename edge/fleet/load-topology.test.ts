import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { DEFAULT_TOPOLOGY_PATH, loadTopology, topologyPath } from './load-topology.ts';

const dir = mkdtempSync(join(tmpdir(), 'kraite-topology-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('loadTopology', () => {
  it('loads infra/topology.json by default', async () => {
    expect(DEFAULT_TOPOLOGY_PATH).toMatch(/infra[/\\]topology\.json$/);
    expect((await loadTopology()).boxes).toHaveLength(8);
    expect((await loadTopology(undefined)).name).toBe('kraite-production');
  });

  it('picks --file, then KRAITE_TOPOLOGY, then the default', () => {
    expect(topologyPath({ KRAITE_TOPOLOGY: '/etc/kraite/fleet.json' }, '/tmp/other.json')).toBe('/tmp/other.json');
    expect(topologyPath({ KRAITE_TOPOLOGY: '/etc/kraite/fleet.json' })).toBe('/etc/kraite/fleet.json');
    expect(topologyPath({ KRAITE_TOPOLOGY: '' })).toBe(DEFAULT_TOPOLOGY_PATH);
    expect(topologyPath()).toBe(DEFAULT_TOPOLOGY_PATH);
  });

  it('names the file and the bad field', async () => {
    const bad = JSON.parse(readFileSync(DEFAULT_TOPOLOGY_PATH, 'utf8'));
    bad.boxes[3].queues[1].concurrency = 0;
    const path = write('bad.json', JSON.stringify(bad));
    await expect(loadTopology(path)).rejects.toThrow(`${path}: boxes[3].queues[1].concurrency: must be a positive integer`);
  });

  it('refuses a missing file and broken JSON as ValidationErrors', async () => {
    await expect(loadTopology(join(dir, 'absent.json'))).rejects.toThrow(/cannot read topology file .*absent\.json: ENOENT/);
    await expect(loadTopology(write('broken.json', '{ "name": '))).rejects.toThrow(ValidationError);
    await expect(loadTopology(write('broken2.json', '{ "name": '))).rejects.toThrow(/broken2\.json: not valid JSON/);
  });
});
