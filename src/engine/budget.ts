/**
 * An audit's wall-clock budget, as a deadline in Date.now() milliseconds (the
 * same clock in every thread, unlike performance.now()). The engine checks it
 * between units of work (files filtered, rules evaluated, files read by a
 * matcher) and throws AuditTimeoutError once past it; a single unit that runs
 * long (one regular expression on one file) is cut off by whoever runs the
 * audit (the CLI exits, the app terminates the job's thread).
 */

/** The audit went past its deadline. `budgetMs`: the budget it had. */
export class AuditTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the audit ran out of time after ${formatBudget(budgetMs)}`);
    this.name = "AuditTimeoutError";
  }
}

/** "60s", "0.5s", "0.001s": seconds, as the CLI's --timeout takes them. */
export function formatBudget(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))}s`;
}

/** Throws AuditTimeoutError when `deadline` (Date.now() ms) has passed; nothing when there is none. */
export function checkDeadline(deadline: number | undefined, budgetMs: number): void {
  if (deadline !== undefined && Date.now() >= deadline) throw new AuditTimeoutError(budgetMs);
}

/**
 * A deadline checked cheaply in a loop: `tick()` reads the clock once every
 * `every` calls (a clock read costs about as much as matching a short glob).
 */
export class DeadlineCheck {
  private ticks = 0;

  constructor(
    readonly deadline: number,
    readonly budgetMs: number,
    private readonly every = 16,
  ) {}

  /** A check for an audit starting now with this deadline; undefined without one. `budgetMs` defaults to the time left. */
  static start(deadline: number | undefined, budgetMs?: number): DeadlineCheck | undefined {
    if (deadline === undefined) return undefined;
    return new DeadlineCheck(deadline, budgetMs ?? Math.max(0, deadline - Date.now()));
  }

  /** Reads the clock now. */
  check(): void {
    checkDeadline(this.deadline, this.budgetMs);
  }

  /** One unit of work done: reads the clock every `every` units. */
  tick(): void {
    if (++this.ticks % this.every === 0) this.check();
  }
}
