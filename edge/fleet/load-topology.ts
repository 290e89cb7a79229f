// Reads and validates the topology file on Node: an explicit path, else KRAITE_TOPOLOGY, else
// the infra/topology.json shipped in the repository.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../core/errors.ts';
import { parseTopology } from '../../core/fleet/topology.ts';
import type { Topology } from '../../core/fleet/topology.schema.ts';

/** The topology shipped in the repository. */
export const DEFAULT_TOPOLOGY_PATH = fileURLToPath(new URL('../../infra/topology.json', import.meta.url));

/** Which file to load: `file` if given, else the KRAITE_TOPOLOGY variable, else the default. */
export function topologyPath(env: Record<string, string | undefined> = {}, file?: string): string {
  return file || env.KRAITE_TOPOLOGY || DEFAULT_TOPOLOGY_PATH;
}

/** Loads and validates a topology file; errors name the file and the bad field. */
export async function loadTopology(path = DEFAULT_TOPOLOGY_PATH): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read topology file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'INVALID_TOPOLOGY');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${path}: not valid JSON: ${(error as Error).message}`, 'INVALID_TOPOLOGY');
  }
  return parseTopology(json, path);
}
