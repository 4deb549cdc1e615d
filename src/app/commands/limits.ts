import type { ScaleSettings } from "../settings.js";
import { MemoryCounters, RedisCounters, type Counters } from "../state/counters.js";
import { MemoryOnceKeys, RecentSet } from "../state/memory.js";
import type { OnceKeys } from "../state/types.js";

/**
 * Every cap on comment commands, in one place (as renovate's
 * lib/workers/global/limits.ts): the webhook handler asks `admit` before it
 * queues a command's job and nothing else decides. A "slot" is one queued
 * job of the comment command (one per command of a comment, or one for a
 * comment that holds only lines it could not read): it is taken when the job
 * is queued and given back when the job has run.
 */
export interface CommandCaps {
  /** Jobs one commenter may have queued or running at once, per installation. */
  commenterQueued: number;
  /** Jobs one commenter may queue per clock hour, per installation. */
  commenterPerHour: number;
  /** Jobs one installation may have queued or running at once (all its commenters). */
  installationQueued: number;
  /** Jobs one installation may queue per clock hour. */
  installationPerHour: number;
}

export type CapName = keyof CommandCaps;

/** The defaults: a recruiter's busy hour (a dozen candidates, three commands each) fits; a flood does not. */
export const DEFAULT_COMMAND_CAPS: Readonly<CommandCaps> = {
  commenterQueued: 5,
  commenterPerHour: 30,
  installationQueued: 20,
  installationPerHour: 200,
};

/** The environment variable that overrides each cap. */
export const COMMAND_CAP_ENV: Readonly<Record<CapName, string>> = {
  commenterQueued: "SKILLPROOF_COMMANDS_QUEUED_PER_USER",
  commenterPerHour: "SKILLPROOF_COMMANDS_PER_HOUR_PER_USER",
  installationQueued: "SKILLPROOF_COMMANDS_QUEUED_PER_INSTALLATION",
  installationPerHour: "SKILLPROOF_COMMANDS_PER_HOUR_PER_INSTALLATION",
};

/** How long the same `owner/repo@sha` is answered from the last result (see cache.ts). */
export const REPLY_CACHE_MS = 10 * 60_000;

const HOUR = 60 * 60_000;

/**
 * How long a taken slot is remembered without any change to its counter: a
 * job lost without running (a process killed before BullMQ saw it) gives its
 * slot back after this, at the latest.
 */
export const SLOT_LEASE_MS = HOUR;

export function readCommandCaps(env: NodeJS.ProcessEnv): CommandCaps {
  const caps = { ...DEFAULT_COMMAND_CAPS };
  for (const name of Object.keys(COMMAND_CAP_ENV) as CapName[]) {
    const raw = env[COMMAND_CAP_ENV[name]];
    if (raw === undefined || raw === "") continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${COMMAND_CAP_ENV[name]} must be a positive whole number, got "${raw}"`);
    caps[name] = n;
  }
  return caps;
}

/** Admitted, or refused by one cap; `tell` is true once per commenter and hour (the one polite reply). */
export type Admission = { admitted: true } | { admitted: false; cap: CapName; tell: boolean };

/** Who a slot belongs to. */
export interface SlotOwner {
  installationId: number;
  login: string;
}

export class CommandLimits {
  constructor(
    readonly caps: CommandCaps,
    private readonly counters: Counters,
    /** "Told this commenter this hour?" */
    private readonly told: OnceKeys,
    private readonly now: () => number = Date.now,
  ) {}

  private keys(owner: SlotOwner): Array<{ cap: CapName; key: string; ttlMs: number }> {
    const hour = Math.floor(this.now() / HOUR);
    const user = `${owner.installationId}:${owner.login.toLowerCase()}`;
    return [
      { cap: "commenterQueued", key: `queued:user:${user}`, ttlMs: SLOT_LEASE_MS },
      { cap: "commenterPerHour", key: `hour:${hour}:user:${user}`, ttlMs: HOUR + 60_000 },
      { cap: "installationQueued", key: `queued:installation:${owner.installationId}`, ttlMs: SLOT_LEASE_MS },
      { cap: "installationPerHour", key: `hour:${hour}:installation:${owner.installationId}`, ttlMs: HOUR + 60_000 },
    ];
  }

  /**
   * Takes one slot for `owner`, or none: each counter is raised in turn and,
   * at the first one past its cap, every raise is undone. No GitHub request.
   */
  async admit(owner: SlotOwner): Promise<Admission> {
    const raised: Array<{ key: string; ttlMs: number }> = [];
    for (const { cap, key, ttlMs } of this.keys(owner)) {
      const value = await this.counters.add(key, 1, ttlMs);
      raised.push({ key, ttlMs });
      if (value > this.caps[cap]) {
        for (const r of raised) await this.counters.add(r.key, -1, r.ttlMs);
        const tell = await this.told.claim(`told:${owner.installationId}:${owner.login.toLowerCase()}`);
        return { admitted: false, cap, tell };
      }
    }
    return { admitted: true };
  }

  /** Gives a slot back once its job has run (the hourly counts stay). */
  async release(owner: SlotOwner): Promise<void> {
    for (const { cap, key, ttlMs } of this.keys(owner)) {
      if (cap === "commenterQueued" || cap === "installationQueued") await this.counters.add(key, -1, ttlMs);
    }
  }
}

/** The caps with their counters in this process (one instance). */
export function memoryCommandLimits(caps: CommandCaps = DEFAULT_COMMAND_CAPS): CommandLimits {
  return new CommandLimits(caps, new MemoryCounters(), new MemoryOnceKeys(new RecentSet(HOUR, 10_000)));
}

/**
 * The caps for the app: counters in Redis when `redisUrl` is given (every
 * replica counts in the same place), else in this process. Caps from the
 * environment (COMMAND_CAP_ENV), else the defaults.
 */
export async function openCommandLimits(
  settings: Pick<ScaleSettings, "redisPrefix">,
  redisUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ limits: CommandLimits; close: () => Promise<void> }> {
  const caps = readCommandCaps(env);
  if (!redisUrl) return { limits: memoryCommandLimits(caps), close: async () => {} };
  const { Redis } = await import("ioredis");
  const { RedisOnceKeys } = await import("../state/redis.js");
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const prefix = `${settings.redisPrefix}:commands:`;
  const limits = new CommandLimits(caps, new RedisCounters(redis, prefix), new RedisOnceKeys(redis, prefix, HOUR));
  return { limits, close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}

/**
 * Wraps the app's job runner so that a comment-command job gives its slot
 * back once it has run, whichever thread or replica ran it (each replica
 * wraps its own runner; with Redis the counters are shared).
 */
export function releasingSlots<J extends { kind: string; input: unknown }, A extends unknown[]>(
  limits: CommandLimits,
  run: (job: J, ...rest: A) => Promise<void>,
): (job: J, ...rest: A) => Promise<void> {
  return async (job, ...rest) => {
    try {
      await run(job, ...rest);
    } finally {
      if (holdsSlot(job)) {
        const input = job.input as { installationId: number; requestedBy: string };
        await limits.release({ installationId: input.installationId, login: input.requestedBy }).catch(() => undefined);
      }
    }
  };
}

/**
 * Does this job hold a slot until it has run? A command ("comment-command")
 * and the answer to a comment without one (a "comment-notice" of kind
 * "not-run") do; the limit note itself does not (it is bounded by "once an
 * hour per commenter" instead). Kinds by name: run.ts's types import this module.
 */
export function holdsSlot(job: { kind: string; input: unknown }): boolean {
  if (job.kind === "comment-command") return true;
  return job.kind === "comment-notice" && (job.input as { notice?: { kind?: string } }).notice?.kind === "not-run";
}
