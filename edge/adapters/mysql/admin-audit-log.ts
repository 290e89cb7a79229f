// The admin audit trail in admin_audit.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { AuditEntry, AuditLog } from '../../../web/admin/audit.port.ts';

const MAX_DETAIL = 60_000;

/** admin_audit over a pool. */
export class MySqlAuditLog implements AuditLog {
  constructor(private readonly pool: Pool) {}

  async record(e: AuditEntry): Promise<void> {
    await this.pool.query(
      'INSERT INTO admin_audit (at, who, action, subject, outcome, detail, row_count, duration_ms, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [e.at, e.who.slice(0, 191), e.action, e.subject ?? null, e.outcome, e.detail?.slice(0, MAX_DETAIL) ?? null, e.rows ?? null, e.durationMs ?? null, e.ip?.slice(0, 64) ?? null]);
  }

  async signedInFrom(who: string, ip: string, since: number): Promise<boolean> {
    // ix_who (who, at) narrows this to one user's recent rows.
    const [rows] = await this.pool.query<RowDataPacket[]>(
      "SELECT 1 FROM admin_audit WHERE who = ? AND at >= ? AND action = 'login' AND outcome = 'ok' AND ip = ? LIMIT 1", [who.slice(0, 191), since, ip.slice(0, 64)]);
    return rows.length > 0;
  }

  /** The newest entries first (for the audit page and tests). */
  async recent(limit = 100): Promise<AuditEntry[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT * FROM admin_audit ORDER BY id DESC LIMIT ?', [limit]);
    return rows.map((r) => ({
      at: Number(r.at), who: String(r.who), action: String(r.action), subject: r.subject === null ? null : String(r.subject),
      outcome: r.outcome as AuditEntry['outcome'], detail: r.detail === null ? null : String(r.detail),
      rows: r.row_count === null ? null : Number(r.row_count), durationMs: r.duration_ms === null ? null : Number(r.duration_ms), ip: r.ip === null ? null : String(r.ip),
    }));
  }
}
