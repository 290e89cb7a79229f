// Redis server CPU over a benchmark run, from INFO cpu (used_cpu_user + used_cpu_sys). Server-wide:
// on a shared Redis other clients add to it, so the figure is an upper bound for the run's traffic.
import { Redis } from 'ioredis';

/** Redis's CPU seconds so far (user + system), or null when INFO has no cpu section. */
export async function redisCpuSeconds(redisUrl: string): Promise<number | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const field = (name: string) => Number(info.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? Number.NaN);
    const total = field('used_cpu_user') + field('used_cpu_sys');
    return Number.isFinite(total) ? total : null;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}
