import type { ApplicationFunction, Probot } from "probot";
import { loadBuiltinRuleSet } from "../engine/ruleBundle.js";
import type { RuleSet } from "../engine/types.js";
import { registerHandlers } from "./handlers.js";
import { AuditQueue, KeyedMutex, RecentSet } from "./queue.js";

export { AuditQueue } from "./queue.js";

export interface AppOptions {
  /** Pass one to await `queue.onIdle()` in tests. */
  queue?: AuditQueue;
  /** Audits running at once (default 4, or SKILLPROOF_CONCURRENCY). */
  concurrency?: number;
  /** Rules to audit with (default: the shipped rules). */
  ruleSet?: RuleSet;
}

const HOUR = 60 * 60 * 1000;

/** The Probot app; `npm start` runs the default export (`probot run ./dist/app/index.js`). */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot) => {
    const concurrency = options.concurrency ?? (Number(process.env.SKILLPROOF_CONCURRENCY) || 4);
    const queue = options.queue ?? new AuditQueue(concurrency, (key, err) => app.log.error({ err, key }, "skillproof: job failed"));
    let rules = options.ruleSet;
    registerHandlers(app, {
      queue,
      deliveries: new RecentSet(24 * HOUR, 10_000),
      recentAudits: new RecentSet(HOUR / 6, 10_000),
      issueLock: new KeyedMutex(),
      ruleSet: () => (rules ??= loadBuiltinRuleSet()),
    });
    app.log.info(`skillproof: listening for events, ${queue.concurrency} audits at a time`);
  };
}

export default createApp();
