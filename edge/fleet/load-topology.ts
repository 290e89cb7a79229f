// Reads and validates the topology file on Node (default infra/topology.json, or KRAITE_TOPOLOGY).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../core/errors.ts';
import { parseTopology } from '../../core/fleet/topology.ts';
import type { Topology } from '../../core/fleet/topology.schema.ts';

/** The topology shipped in the repository. */
export const DEFAULT_TOPOLOGY_PATH = fileURLToPath(new URL('../../infra/topology.json', import.meta.url));

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
