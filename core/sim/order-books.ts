// An account's orders and algo orders by id, with what the simulator looks up on every request
// kept beside them: each client id's ids in insertion order, and the algos that may still wait.
// Every order and algo ever placed stays in these maps, so a scan per request grew with a run's
// length; these keep lookups to the entries that can match.
import type { SimAlgoOrder } from './algo-order.ts';
import type { SimOrder } from './orders.ts';

/** A map by id that also finds its entries by client id, in the map's own (insertion) order. */
export class ClientIndexedMap<T> extends Map<number, T> {
  private byClient = new Map<string, number[]>();
  /** Set when an entry was deleted or replaced under another client id: rebuilt on next lookup. */
  private stale = false;

  constructor(private readonly clientIdOf: (entry: T) => string) {
    super();
  }

  override set(id: number, entry: T): this {
    const old = super.get(id);
    super.set(id, entry);
    if (old === undefined) {
      const key = this.clientIdOf(entry);
      const ids = this.byClient.get(key);
      if (ids) ids.push(id);
      else this.byClient.set(key, [id]);
    } else if (this.clientIdOf(old) !== this.clientIdOf(entry)) this.stale = true;
    return this;
  }

  override delete(id: number): boolean {
    const had = super.delete(id);
    if (had) this.stale = true;
    return had;
  }

  override clear(): void {
    super.clear();
    this.byClient.clear();
    this.stale = false;
  }

  /** The entries with this client id, oldest first. */
  withClientId(clientId: string): T[] {
    if (this.stale) {
      this.byClient = new Map();
      for (const [id, entry] of this) {
        const key = this.clientIdOf(entry);
        const ids = this.byClient.get(key);
        if (ids) ids.push(id);
        else this.byClient.set(key, [id]);
      }
      this.stale = false;
    }
    return (this.byClient.get(clientId) ?? []).map((id) => super.get(id)!);
  }
}

/** Orders by id; a client id's orders in placement order. */
export class OrderMap extends ClientIndexedMap<SimOrder> {
  constructor() {
    super((o) => o.clientOrderId);
  }
}

/**
 * Algo orders by id; a client id's algos in placement order, and the ones still waiting (NEW).
 * An algo leaves NEW for good (only placement sets it), so one seen in another status is dropped
 * from the waiting list.
 */
export class AlgoMap extends ClientIndexedMap<SimAlgoOrder> {
  private readonly maybeWaiting = new Set<number>();

  constructor() {
    super((a) => a.clientAlgoId);
  }

  private reorder = false;

  override set(id: number, algo: SimAlgoOrder): this {
    // A replaced entry dropped from the list would come back out of place: rebuilt on next read.
    if (this.has(id) && !this.maybeWaiting.has(id)) this.reorder = true;
    super.set(id, algo);
    this.maybeWaiting.add(id);
    return this;
  }

  override delete(id: number): boolean {
    this.maybeWaiting.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    super.clear();
    this.maybeWaiting.clear();
    this.reorder = false;
  }

  /** The algos in status NEW, in placement order. */
  waiting(): SimAlgoOrder[] {
    if (this.reorder) {
      this.maybeWaiting.clear();
      for (const id of this.keys()) this.maybeWaiting.add(id);
      this.reorder = false;
    }
    const out: SimAlgoOrder[] = [];
    for (const id of this.maybeWaiting) {
      const algo = this.get(id)!;
      if (algo.status === 'NEW') out.push(algo);
      else this.maybeWaiting.delete(id);
    }
    return out;
  }
}
