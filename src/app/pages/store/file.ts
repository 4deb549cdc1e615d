import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rmdir, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { historyPoint, type AuditSummary, type HistoryPoint, type StoredAudit } from "../../../report/stored.js";
import { KeyedMutex } from "../../state/memory.js";
import {
  MAX_AUDIT_BYTES,
  bySummaryRank,
  encodeAudit,
  ownerKey,
  parseAudit,
  parsePoint,
  parseSummary,
  repoKey,
  replacesLatest,
  saveKey,
  summaryLimit,
  summaryOf,
  withPoint,
  type RepoKey,
} from "./policy.js";
import type { ReportStore } from "./types.js";

const LATEST = "latest.json";
const SUMMARY = "summary.json";
const HISTORY = "history.json";
const HIDDEN = "hidden";
/** Summaries remembered by the file they were read from; past this many the oldest half is forgotten. */
const SUMMARY_CACHE = 10_000;

export interface FileReportStoreOptions {
  /** A lock file older than this is taken to be left by a dead process and broken. */
  lockStaleMs?: number;
  /** How long a save waits for another process's lock before it fails. */
  lockWaitMs?: number;
}

/**
 * ReportStore in plain files, for one instance without Redis:
 *
 *   <dir>/repos/<owner>/<repo>/latest.json   the latest StoredAudit
 *                              summary.json  its AuditSummary (badges read only this)
 *                              history.json  HistoryPoint[], oldest first
 *                              hidden        present while the repository is private
 *   <dir>/locks/<owner>/<repo>.lock          held while a save, hide or remove runs
 *
 * Owner and repository are lowercased and must be names GitHub allows, so no
 * name can reach outside <dir>. Every file is written to a temporary file in
 * its folder and renamed over the old one: a reader in another thread or
 * process sees the old file or the new one, never half of one. Writes to one
 * repository are serialised in this instance (a queue) and across instances,
 * threads and processes (an exclusive lock file), so two saves that land at
 * once both keep their history point.
 */
export class FileReportStore implements ReportStore {
  private readonly local = new KeyedMutex();
  private readonly summaries = new Map<string, { stamp: string; summary: AuditSummary | undefined }>();
  private readonly lockStaleMs: number;
  private readonly lockWaitMs: number;

  constructor(
    readonly dir: string,
    options: FileReportStoreOptions = {},
  ) {
    this.lockStaleMs = options.lockStaleMs ?? 10_000;
    // Longer than the stale age, so a lock left by a crashed process is broken rather than waited out into an error.
    this.lockWaitMs = options.lockWaitMs ?? 15_000;
  }

  async save(audit: StoredAudit): Promise<boolean> {
    const key = saveKey(audit);
    const json = encodeAudit(audit);
    return this.locked(key, async () => {
      const folder = this.repoFolder(key);
      if (await exists(join(folder, HIDDEN))) return false;
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const stored = parseAudit(await readBounded(join(folder, LATEST)));
      const history = await readHistory(folder);
      await writeAtomic(join(folder, HISTORY), JSON.stringify(withPoint(history, historyPoint(audit))));
      if (replacesLatest(stored, audit)) {
        // The report before its summary: a badge that sees the new commit finds its report.
        await writeAtomic(join(folder, LATEST), json);
        await writeAtomic(join(folder, SUMMARY), JSON.stringify(summaryOf(audit)));
      }
      return true;
    });
  }

  async latest(owner: string, repo: string): Promise<StoredAudit | undefined> {
    const key = repoKey(owner, repo);
    return key ? parseAudit(await readBounded(join(this.repoFolder(key), LATEST))) : undefined;
  }

  /**
   * Read on every badge request, so it is read synchronously and remembered by
   * the file's identity: summary.json is a few hundred bytes on a local disk,
   * where one stat costs microseconds, and the async calls' round trips
   * through libuv's thread pool halved the badges served. Every save renames a
   * new file into place (a new inode and mtime), so nothing stale is served,
   * whichever thread or process wrote it.
   */
  async summary(owner: string, repo: string): Promise<AuditSummary | undefined> {
    const key = repoKey(owner, repo);
    if (!key) return undefined;
    const path = join(this.repoFolder(key), SUMMARY);
    let stamp: string;
    try {
      const info = statSync(path);
      if (!info.isFile() || info.size > 64 * 1024) return undefined;
      stamp = `${info.ino}:${info.mtimeMs}:${info.size}`;
    } catch {
      this.summaries.delete(path);
      return undefined;
    }
    const known = this.summaries.get(path);
    if (known?.stamp === stamp) return known.summary;
    let summary: AuditSummary | undefined;
    try {
      summary = parseSummary(readFileSync(path, "utf8"));
    } catch {
      summary = undefined;
    }
    if (this.summaries.size >= SUMMARY_CACHE) for (const k of [...this.summaries.keys()].slice(0, SUMMARY_CACHE / 2)) this.summaries.delete(k);
    this.summaries.set(path, { stamp, summary });
    return summary;
  }

  async history(owner: string, repo: string): Promise<HistoryPoint[]> {
    const key = repoKey(owner, repo);
    return key ? readHistory(this.repoFolder(key)) : [];
  }

  async ownerRepos(owner: string, limit: number): Promise<AuditSummary[]> {
    const o = ownerKey(owner);
    const n = summaryLimit(limit);
    if (o === undefined || n === 0) return [];
    let names: string[];
    try {
      names = await readdir(join(this.dir, "repos", o));
    } catch {
      return [];
    }
    // Only folders this store made: a valid name, already lowercase.
    const keys = names.map((name) => repoKey(o, name)).filter((k, i): k is RepoKey => k !== undefined && k.repo === names[i]);
    const summaries: AuditSummary[] = [];
    // Through summary(): the same reads, remembered by each file's identity as for badges.
    for (const k of keys) {
      const s = await this.summary(k.owner, k.repo);
      if (s) summaries.push(s);
    }
    return summaries.sort(bySummaryRank).slice(0, n);
  }

  async remove(owner: string, repo: string): Promise<void> {
    const key = repoKey(owner, repo);
    if (!key) return;
    await this.locked(key, async () => {
      const folder = this.repoFolder(key);
      await forget(folder);
      // The folder goes too unless it still marks the repository hidden; the owner's folder stays (another repository's save may be creating it).
      if (!(await exists(join(folder, HIDDEN)))) await rmdir(folder).catch(() => {});
    });
  }

  async hide(owner: string, repo: string): Promise<void> {
    const key = repoKey(owner, repo);
    if (!key) return;
    await this.locked(key, async () => {
      const folder = this.repoFolder(key);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      // The flag first: from here on no save lands, even one that was waiting for this lock.
      await writeAtomic(join(folder, HIDDEN), "");
      await forget(folder);
    });
  }

  async unhide(owner: string, repo: string): Promise<void> {
    const key = repoKey(owner, repo);
    if (!key) return;
    await this.locked(key, async () => {
      const folder = this.repoFolder(key);
      await unlink(join(folder, HIDDEN)).catch(() => {});
      await rmdir(folder).catch(() => {});
    });
  }

  async close(): Promise<void> {}

  private repoFolder(key: RepoKey): string {
    return join(this.dir, "repos", key.owner, key.repo);
  }

  private locked<T>(key: RepoKey, fn: () => Promise<T>): Promise<T> {
    const lockFile = join(this.dir, "locks", key.owner, `${key.repo}.lock`);
    return this.local.run(`${key.owner}/${key.repo}`, () => holdingLockFile(lockFile, this.lockStaleMs, this.lockWaitMs, fn));
  }
}

/** The summary first, so badges and portfolios drop the repository before its report goes. */
async function forget(folder: string): Promise<void> {
  for (const name of [SUMMARY, LATEST, HISTORY]) await unlink(join(folder, name)).catch(() => {});
}

async function readHistory(folder: string): Promise<HistoryPoint[]> {
  const text = await readBounded(join(folder, HISTORY));
  if (text === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  return Array.isArray(raw) ? raw.map(parsePoint).filter((p): p is HistoryPoint => p !== undefined) : [];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A file's text, or undefined when it is missing, unreadable, or larger than any file this store writes. */
async function readBounded(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_AUDIT_BYTES + 1024) return undefined;
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Written beside its final name and renamed over it: rename within a folder replaces the file in one step. */
async function writeAtomic(path: string, data: string): Promise<void> {
  const temporary = join(dirname(path), `.tmp-${randomUUID()}`);
  try {
    await writeFile(temporary, data, { mode: 0o600 });
    await rename(temporary, path);
  } catch (err) {
    await unlink(temporary).catch(() => {});
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs fn while holding an exclusive lock file (created with O_EXCL, so one
 * holder at a time across threads and processes). The holder refreshes its
 * mtime while it runs; a lock not refreshed for `staleMs` belongs to a process
 * that died and is broken. Breaking it moves it aside first and puts it back
 * if it turns out fresh, which leaves only a very narrow race between two
 * waiters breaking the same dead lock at once.
 */
async function holdingLockFile<T>(path: string, staleMs: number, waitMs: number, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  let pause = 5;
  for (;;) {
    try {
      await writeFile(path, token, { flag: "wx", mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    if (await breakIfStale(path, staleMs)) continue;
    if (Date.now() > deadline) throw new Error(`report store: timed out waiting for the lock ${path} (another process holds it)`);
    await sleep(pause);
    pause = Math.min(pause * 2, 100);
  }
  const refresh = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => {});
  }, Math.max(staleMs / 3, 10));
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    // Only our own lock: if ours was broken as stale, the file is now someone else's.
    const holder = await readFile(path, "utf8").catch(() => undefined);
    if (holder === token) await unlink(path).catch(() => {});
  }
}

async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let modified: number;
  try {
    modified = (await stat(path)).mtimeMs;
  } catch {
    return true; // released meanwhile: try again at once
  }
  if (Date.now() - modified < staleMs) return false;
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return true; // someone else moved or released it
  }
  try {
    if (Date.now() - (await stat(aside)).mtimeMs < staleMs) {
      // A live lock taken between our look and our move: put it back unless a new one is already there.
      const handle = await open(path, "wx", 0o600).catch(() => undefined);
      if (handle) {
        await handle.writeFile(await readFile(aside));
        await handle.close();
      }
    }
  } finally {
    await unlink(aside).catch(() => {});
  }
  return true;
}
