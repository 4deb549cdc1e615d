import { join } from "node:path";
import { FileReportStore } from "./file.js";
import { RedisReportStore } from "./redis.js";
import type { ReportStore } from "./types.js";

export interface ReportStoreSettings {
  /** Redis shared by replicas; without it, files under dataDir (one instance). */
  redisUrl?: string;
  redisPrefix: string;
  /** SKILLPROOF_DATA_DIR: the file store writes under its `pages/` folder. */
  dataDir: string;
}

/**
 * The report store the settings ask for. ioredis is loaded only when Redis is
 * configured, so the file mode never touches it. `onError` hears Redis
 * connection errors (ioredis retries on its own; without a listener it prints them).
 */
export async function openReportStore(settings: ReportStoreSettings, onError: (err: Error) => void = () => {}): Promise<ReportStore> {
  if (!settings.redisUrl) return new FileReportStore(join(settings.dataDir, "pages"));
  const { Redis } = await import("ioredis");
  // A page request fails after a few retries rather than hanging while Redis is away.
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on("error", onError);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return new RedisReportStore(redis, settings.redisPrefix, { ownsClient: true });
}
