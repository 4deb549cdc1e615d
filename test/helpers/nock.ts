import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";

type NoMatch = { method?: string; path?: string; options?: { method?: string; path?: string } };

/**
 * The nock discipline every GitHub-facing test follows: no real network, and
 * after each test every expected request was made (then the mocks are reset).
 * `noUnmatched` also fails a test in which a request matched no mock (nock
 * answers those with an error the code under test might swallow).
 * Call it at the top of a file, or inside a describe block.
 */
export function useNock(options: { allowLoopback?: boolean; noUnmatched?: boolean } = {}): void {
  const unmatched: string[] = [];
  const onNoMatch = (req: NoMatch) => unmatched.push(`${req.method ?? req.options?.method} ${req.path ?? req.options?.path}`);
  beforeAll(() => {
    nock.disableNetConnect();
    // Loopback servers the test starts itself (a stand-in GitHub, the app's own HTTP server).
    if (options.allowLoopback) nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    if (options.noUnmatched) nock.emitter.on("no match", onNoMatch);
  });
  beforeEach(() => {
    unmatched.length = 0;
  });
  afterEach(() => {
    try {
      expect(unmatched).toEqual([]);
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      nock.cleanAll();
    }
  });
  afterAll(() => {
    if (options.noUnmatched) nock.emitter.removeListener("no match", onNoMatch);
    nock.enableNetConnect();
  });
}
