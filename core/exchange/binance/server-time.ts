// The offset between the exchange's clock and ours, so signed timestamps land inside recvWindow.
// Shareable: every client talking to one host can use one instance.

/** Server time offset (server − local), learnt from GET /fapi/v1/time. */
export class ServerTimeSync {
  private offset = 0;
  private synced: number | null = null;

  /** Server minus local clock, in ms (0 until the first sync). */
  get offsetMs(): number {
    return this.offset;
  }

  /** Local time of the last sync, or null. */
  get syncedAt(): number | null {
    return this.synced;
  }

  /** Records a reading; the server stamped it somewhere between send and receive, so take the midpoint. */
  record(serverTime: number, sentAt: number, receivedAt: number): void {
    this.offset = Math.round(serverTime - (sentAt + receivedAt) / 2);
    this.synced = receivedAt;
  }

  /** The exchange's time now, by our estimate. */
  serverNow(localNow: number): number {
    return localNow + this.offset;
  }

  /** True when never synced or the last sync is older than `maxAgeMs`. */
  isStale(localNow: number, maxAgeMs: number): boolean {
    return this.synced === null || localNow - this.synced > maxAgeMs;
  }
}
