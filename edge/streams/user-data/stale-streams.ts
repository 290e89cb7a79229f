// The health check's read of user-data stream liveness: trading-enabled accounts whose stream last
// showed life (last_frame_at: a frame or a ping, written at most every 30 s) before a time — or,
// never having shown any, whose row last changed before it (a newly enabled account gets its grace).
import type { Pool } from 'mysql2/promise';

/** Trading accounts whose user-data stream is silent since before `before`. */
export async function staleUserDataStreams(pool: Pool, before: number): Promise<{ accountId: number; name: string; lastFrameAt: number | null }[]> {
  const [rows] = await pool.query(
    `SELECT id, name, last_frame_at AS lastFrameAt FROM accounts
      WHERE trading_enabled = 1 AND COALESCE(last_frame_at, updated_at) < ?
      ORDER BY id`,
    [before],
  );
  return (rows as { id: number | string; name: string; lastFrameAt: number | string | null }[])
    .map((r) => ({ accountId: Number(r.id), name: r.name, lastFrameAt: r.lastFrameAt === null ? null : Number(r.lastFrameAt) }));
}
