import type { WriteLanes } from "./laneFetch.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The rate lanes of one process (or job thread) without Redis: the same
 * reserve-then-claim rule as redisLane.ts, on this process's clock. A request
 * reserves the next slot of its key (at least `spacingMs` after the slot
 * before it), waits for it, then claims its release, which succeeds only when
 * the previous release of the key is `spacingMs` old: a request that woke up
 * late (a busy event loop) never goes out together with the next one.
 * One small record per key (installation) for the life of the process.
 */
export class MemoryLanes implements WriteLanes {
  readonly #lanes = new Map<string, { tail: number; released: number }>();

  async waitForSlot(name: string, key: string, spacingMs: number): Promise<void> {
    const id = `${name}:${key}`;
    let lane = this.#lanes.get(id);
    if (!lane) this.#lanes.set(id, (lane = { tail: -Infinity, released: -Infinity }));
    const slot = Math.max(Date.now(), lane.tail + spacingMs, lane.released + spacingMs);
    lane.tail = slot;
    let waitMs = slot - Date.now();
    for (;;) {
      if (waitMs > 0) await sleep(waitMs);
      const now = Date.now();
      if (lane.released + spacingMs <= now) {
        lane.released = now;
        return;
      }
      waitMs = lane.released + spacingMs - now;
    }
  }
}
