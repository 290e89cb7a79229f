// Probes a box's /health endpoints over HTTP: the units wait for /health/live after start, and
// deploy:warmup waits for every box's /health/ready before it lets the scheduler resume.
import { metricsPortOf, processMetricsPortOf, type ProcessDaemon, type Topology } from '../../core/fleet/topology.schema.ts';

/** What a probe found. */
export interface ProbeResult {
  ok: boolean;
  status: number;
  /** Failing checks the body named, or why the probe got no answer. */
  failing: string[];
}

/**
 * The health base URL of a box's main process (or, with `process`, of a daemon running as its own
 * process there): its private address (or loopback with `local`) and that process's metrics port.
 */
export function healthBase(topology: Topology, box: string, local = false, process?: ProcessDaemon): string {
  const address = local ? '127.0.0.1' : topology.boxes.find((b) => b.name === box)?.privateAddress ?? '127.0.0.1';
  const port = process ? processMetricsPortOf(topology, box, process) : metricsPortOf(topology, box);
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** One GET of `url` within `timeoutMs`; 200 means ok. */
export async function probe(url: string, timeoutMs = 2_000): Promise<ProbeResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => ({}))) as { failing?: unknown };
    const failing = Array.isArray(body.failing) ? body.failing.map(String) : res.ok ? [] : [`HTTP ${res.status}`];
    return { ok: res.status === 200, status: res.status, failing };
  } catch (error) {
    return { ok: false, status: 0, failing: [`no answer: ${(error as Error).message}`] };
  }
}
