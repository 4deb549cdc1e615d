import nock from "nock";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

/**
 * The nock discipline every GitHub-facing test follows: no real network, and
 * after each test every expected request was made (then the mocks are reset).
 * Call it at the top of a file, or inside a describe block.
 */
export function useNock(options: { allowLoopback?: boolean } = {}): void {
  beforeAll(() => {
    nock.disableNetConnect();
    // Loopback servers the test starts itself (a stand-in GitHub, the app's own HTTP server).
    if (options.allowLoopback) nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  });
  afterEach(() => {
    try {
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      nock.cleanAll();
    }
  });
  afterAll(() => nock.enableNetConnect());
}
