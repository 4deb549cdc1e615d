import type { KeyedLock, OnceKeys } from "./types.js";

/** `OnceKeys` in memory (one instance). */
export class MemoryOnceKeys implements OnceKeys {
  constructor(private readonly seen: RecentSet) {}

  async claim(key: string): Promise<boolean> {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

/** One-at-a-time sections per key (issue writes per repository). */
export class KeyedMutex implements KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Remembers recent keys for a while, bounded in size (redelivered webhooks, just-audited commits). */
export class RecentSet {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const at = this.seen.get(key);
    if (at === undefined) return false;
    if (this.now() - at > this.ttlMs) {
      this.seen.delete(key);
      return false;
    }
    return true;
  }

  add(key: string): void {
    this.seen.delete(key);
    this.seen.set(key, this.now());
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
  }

  delete(key: string): void {
    this.seen.delete(key);
  }
}
