import { describe, expect, it } from "vitest";
import { DEFAULT_CONCURRENCY, readScaleSettings } from "../../../src/app/settings.js";

describe("scale settings from the environment", () => {
  it("defaults to one embedded instance", () => {
    const s = readScaleSettings({});
    expect(s).toMatchObject({ redisUrl: undefined, redisPrefix: "skillproof", concurrency: DEFAULT_CONCURRENCY, threads: 0, attempts: 5, auditTimeoutMs: 60_000, threadMemoryMb: 1024 });
  });

  it("reads every variable", () => {
    const s = readScaleSettings({
      REDIS_URL: "redis://r:6379",
      SKILLPROOF_REDIS_PREFIX: "sp",
      SKILLPROOF_CONCURRENCY: "8",
      SKILLPROOF_THREADS: "0",
      SKILLPROOF_JOB_LOCK_MS: "5000",
      SKILLPROOF_STALLED_INTERVAL_MS: "1000",
      SKILLPROOF_MAX_STALLED: "3",
      SKILLPROOF_JOB_ATTEMPTS: "2",
      SKILLPROOF_RETRY_DELAY_MS: "100",
      SKILLPROOF_SHUTDOWN_GRACE_MS: "9000",
      SKILLPROOF_AUDIT_TIMEOUT_MS: "30000",
      SKILLPROOF_THREAD_MEMORY_MB: "512",
    });
    expect(s).toEqual({ redisUrl: "redis://r:6379", redisPrefix: "sp", concurrency: 8, threads: 0, lockMs: 5000, stalledIntervalMs: 1000, maxStalledCount: 3, attempts: 2, backoffMs: 100, shutdownGraceMs: 9000, auditTimeoutMs: 30000, threadMemoryMb: 512 });
  });

  it("stops on a value that is not a positive whole number, naming the variable", () => {
    expect(() => readScaleSettings({ SKILLPROOF_CONCURRENCY: "0" })).toThrow('SKILLPROOF_CONCURRENCY must be a positive whole number, got "0"');
    expect(() => readScaleSettings({ SKILLPROOF_JOB_LOCK_MS: "soon" })).toThrow(/SKILLPROOF_JOB_LOCK_MS/);
    expect(() => readScaleSettings({ SKILLPROOF_THREADS: "-1" })).toThrow(/SKILLPROOF_THREADS must be a whole number/);
  });
});
