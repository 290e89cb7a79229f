// The scheduler's record of what each entry did at its last slot, and how often each outcome
// happened: shared (Redis in a fleet) so `kraite schedule`, run anywhere, shows what athena's
// scheduler did, including the slots it did not fire and why.

/** What one due entry did at a slot. */
export type FireOutcome = 'fired' | 'already-fired' | 'cooldown' | 'overlap' | 'leased' | 'unavailable' | 'failed';

/** One entry's attempt at one slot. */
export interface FireRecord {
  entry: string;
  slot: number;
  outcome: FireOutcome;
  /** When the scheduler looked at the slot. */
  at: number;
  /** The scheduler that looked (its lease owner). */
  owner: string;
  stepId?: number;
  /** Why it did not fire, or that it was a catch-up at start. */
  detail?: string;
}

/** Per entry: its latest record and how many times each outcome happened. */
export interface FireLogView {
  last: Map<string, FireRecord>;
  counts: Map<string, Partial<Record<FireOutcome, number>>>;
}

/** Where fire records go. */
export interface FireLogPort {
  /** Keeps `record` as its entry's latest and counts its outcome. */
  record(record: FireRecord): Promise<void>;
  read(): Promise<FireLogView>;
}

/** The in-memory twin. */
export class MemoryFireLog implements FireLogPort {
  private readonly last = new Map<string, FireRecord>();
  private readonly counts = new Map<string, Partial<Record<FireOutcome, number>>>();

  async record(record: FireRecord): Promise<void> {
    this.last.set(record.entry, { ...record });
    const c = this.counts.get(record.entry) ?? {};
    c[record.outcome] = (c[record.outcome] ?? 0) + 1;
    this.counts.set(record.entry, c);
  }

  async read(): Promise<FireLogView> {
    return {
      last: new Map([...this.last].map(([k, v]) => [k, { ...v }])),
      counts: new Map([...this.counts].map(([k, v]) => [k, { ...v }])),
    };
  }
}
