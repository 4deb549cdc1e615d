/**
 * A token bucket per client: `burst` requests at once, then `ratePerSecond`.
 * In this process only (each replica counts its own clients): it protects a
 * replica's CPU, which is what a flood of page requests spends. The map is
 * bounded: past `maxClients` the least recently seen client is forgotten
 * (it starts again with a full bucket, which only errs towards serving).
 */
export class ClientRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxClients = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `client`: 0 when allowed, else the seconds until one is available (for Retry-After). */
  take(client: string): number {
    const t = this.now();
    const held = this.buckets.get(client);
    let tokens = this.burst;
    if (held) {
      tokens = Math.min(this.burst, held.tokens + ((t - held.at) / 1000) * this.ratePerSecond);
      this.buckets.delete(client); // re-inserted below: Map order is then least recently seen first
    } else if (this.buckets.size >= this.maxClients) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    if (tokens < 1) {
      this.buckets.set(client, { tokens, at: t });
      return Math.max(1, Math.ceil((1 - tokens) / this.ratePerSecond));
    }
    this.buckets.set(client, { tokens: tokens - 1, at: t });
    return 0;
  }
}
