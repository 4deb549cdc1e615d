import type { Redis } from "ioredis";
import { HISTORY_CAP, historyPoint, type AuditSummary, type HistoryPoint, type StoredAudit } from "../../../report/stored.js";
import { bySummaryRank, committedMs, encodeAudit, ownerKey, parseAudit, parsePoint, parseSummary, repoKey, saveKey, summaryLimit, summaryOf, type RepoKey } from "./policy.js";
import type { ReportStore } from "./types.js";

/**
 * One save, run inside Redis so it is atomic against every replica: refuse a
 * hidden repository; record the history point (replacing the same commit's,
 * else appending and trimming to the cap); replace latest, summary, what
 * decides the next replacement, and the owner's ranking together, unless the
 * stored latest is another commit committed strictly later.
 *
 * KEYS: latest, summary, order (hash: commit, at), history (list), hidden, owner ranking (sorted set)
 * ARGV: audit JSON, summary JSON, point JSON, commit, committed-at ms ("" unknown), history cap, ranking score, ranking member
 */
const SAVE = `
if redis.call("EXISTS", KEYS[5]) == 1 then return 0 end
local replace = true
local stored = redis.call("HMGET", KEYS[3], "commit", "at")
if stored[1] and stored[1] ~= ARGV[4] then
  local was = tonumber(stored[2])
  local now = tonumber(ARGV[5])
  if was and now and was > now then replace = false end
end
local at = nil
for i, p in ipairs(redis.call("LRANGE", KEYS[4], 0, -1)) do
  local ok, point = pcall(cjson.decode, p)
  if ok and type(point) == "table" and point.commit == ARGV[4] then
    at = i - 1
    break
  end
end
if at then
  redis.call("LSET", KEYS[4], at, ARGV[3])
else
  redis.call("RPUSH", KEYS[4], ARGV[3])
  redis.call("LTRIM", KEYS[4], -tonumber(ARGV[6]), -1)
end
if replace then
  redis.call("SET", KEYS[1], ARGV[1])
  redis.call("SET", KEYS[2], ARGV[2])
  redis.call("DEL", KEYS[3])
  redis.call("HSET", KEYS[3], "commit", ARGV[4], "at", ARGV[5])
  redis.call("ZADD", KEYS[6], ARGV[7], ARGV[8])
end
return 1
`;

export interface RedisReportStoreOptions {
  /** The store opened this client and closes it on close(); a client shared with the rest of the app is left open. */
  ownsClient?: boolean;
}

/**
 * ReportStore in Redis, shared by replicas. Under `${prefix}:pages:`:
 *
 *   repo:<owner>/<repo>:latest   the latest StoredAudit (JSON)
 *   repo:<owner>/<repo>:summary  its AuditSummary (JSON; badges read only this)
 *   repo:<owner>/<repo>:order    hash of the latest's commit and committed-at ms (what a later save compares with)
 *   repo:<owner>/<repo>:history  list of HistoryPoint JSON, oldest first
 *   repo:<owner>/<repo>:hidden   present while the repository is private
 *   owner:<owner>                sorted set of the owner's repositories by score (negated, so ties list by name)
 *
 * Names are lowercased and must be names GitHub allows (no ":" or "/" can
 * reach a key). A save is one Lua script; hide and remove are one MULTI.
 */
export class RedisReportStore implements ReportStore {
  private readonly base: string;
  private readonly ownsClient: boolean;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    options: RedisReportStoreOptions = {},
  ) {
    this.base = `${prefix}:pages:`;
    this.ownsClient = options.ownsClient ?? false;
  }

  async save(audit: StoredAudit): Promise<boolean> {
    const key = saveKey(audit);
    const json = encodeAudit(audit);
    const k = this.keys(key);
    const saved = await this.redis.eval(
      SAVE,
      6,
      k.latest,
      k.summary,
      k.order,
      k.history,
      k.hidden,
      k.owner,
      json,
      JSON.stringify(summaryOf(audit)),
      JSON.stringify(historyPoint(audit)),
      audit.commit,
      String(committedMs(audit.committedAt) ?? ""),
      String(HISTORY_CAP),
      String(-audit.report.score),
      key.repo,
    );
    return saved === 1;
  }

  async latest(owner: string, repo: string): Promise<StoredAudit | undefined> {
    const key = repoKey(owner, repo);
    return key ? parseAudit(await this.redis.get(this.keys(key).latest)) : undefined;
  }

  async summary(owner: string, repo: string): Promise<AuditSummary | undefined> {
    const key = repoKey(owner, repo);
    return key ? parseSummary(await this.redis.get(this.keys(key).summary)) : undefined;
  }

  async history(owner: string, repo: string): Promise<HistoryPoint[]> {
    const key = repoKey(owner, repo);
    if (!key) return [];
    const points = await this.redis.lrange(this.keys(key).history, 0, -1);
    return points.map(parsePoint).filter((p): p is HistoryPoint => p !== undefined);
  }

  async ownerRepos(owner: string, limit: number): Promise<AuditSummary[]> {
    const o = ownerKey(owner);
    const n = summaryLimit(limit);
    if (o === undefined || n === 0) return [];
    const members = await this.redis.zrange(`${this.base}owner:${o}`, 0, n - 1);
    const keys = members.map((m) => repoKey(o, m)).filter((k): k is RepoKey => k !== undefined);
    if (keys.length === 0) return [];
    const summaries = await this.redis.mget(...keys.map((k) => this.keys(k).summary));
    return summaries
      .map(parseSummary)
      .filter((s): s is AuditSummary => s !== undefined)
      .sort(bySummaryRank);
  }

  async remove(owner: string, repo: string): Promise<void> {
    const key = repoKey(owner, repo);
    if (!key) return;
    const k = this.keys(key);
    checked(await this.redis.multi().del(k.summary, k.latest, k.order, k.history).zrem(k.owner, key.repo).exec());
  }

  async hide(owner: string, repo: string): Promise<void> {
    const key = repoKey(owner, repo);
    if (!key) return;
    const k = this.keys(key);
    checked(await this.redis.multi().set(k.hidden, "1").del(k.summary, k.latest, k.order, k.history).zrem(k.owner, key.repo).exec());
  }

  async unhide(owner: string, repo: string): Promise<void> {
    const key = repoKey(owner, repo);
    if (!key) return;
    await this.redis.del(this.keys(key).hidden);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private keys(key: RepoKey) {
    const repo = `${this.base}repo:${key.owner}/${key.repo}:`;
    return {
      latest: `${repo}latest`,
      summary: `${repo}summary`,
      order: `${repo}order`,
      history: `${repo}history`,
      hidden: `${repo}hidden`,
      owner: `${this.base}owner:${key.owner}`,
    };
  }
}

/** A MULTI's replies, throwing the first command error (EXEC reports them per command, not as a rejection). */
function checked(replies: Array<[Error | null, unknown]> | null): void {
  if (!replies) throw new Error("report store: Redis transaction was aborted");
  for (const [err] of replies) if (err) throw err;
}
