import { describe, expect, it } from "vitest";
import { ClientRateLimit } from "../../../src/app/pages/rateLimit.js";

describe("ClientRateLimit", () => {
  it("lets a burst through, then one request per 1/rate seconds, and says how long to wait", () => {
    let now = 0;
    const limit = new ClientRateLimit(2, 3, 100, () => now);
    expect([limit.take("a"), limit.take("a"), limit.take("a")]).toEqual([0, 0, 0]);
    expect(limit.take("a")).toBe(1);
    now += 500; // half a second at 2/s: one token back
    expect(limit.take("a")).toBe(0);
    expect(limit.take("a")).toBeGreaterThanOrEqual(1);
  });

  it("counts each client apart", () => {
    const limit = new ClientRateLimit(1, 1, 100, () => 0);
    expect(limit.take("a")).toBe(0);
    expect(limit.take("a")).toBe(1);
    expect(limit.take("b")).toBe(0);
  });

  it("never holds more than maxClients, forgetting the least recently seen", () => {
    let now = 0;
    const limit = new ClientRateLimit(1, 1, 2, () => now);
    limit.take("a");
    limit.take("b");
    now += 1;
    limit.take("b");
    limit.take("c"); // forgets "a", the least recently seen
    // "b" was kept (seen lately) and is still out of tokens; "a" starts again with a full bucket.
    expect(limit.take("b")).toBeGreaterThan(0);
    expect(limit.take("a")).toBe(0);
  });
});
