import type { Evidence } from "./types.js";

/** Evidence items kept per matcher: enough to prove a point, few enough to read. */
export const MAX_EVIDENCE = 5;

/**
 * A matcher's answer. `unknown` means file contents it needs are not read yet;
 * `needs` lists them, one group per leaf so the planner can read cheap groups first.
 */
export type Outcome =
  | { state: "known"; ok: boolean; pro: Evidence[]; con: Evidence[] }
  | { state: "unknown"; needs: string[][] };

export const pass = (pro: Evidence[]): Outcome => ({ state: "known", ok: true, pro: pro.slice(0, MAX_EVIDENCE), con: [] });
export const fail = (): Outcome => ({ state: "known", ok: false, pro: [], con: [] });
export const unknown = (needs: string[]): Outcome => ({ state: "unknown", needs: [needs] });

/** For a leaf that needs `paths` read: the unread ones, or undefined when all are in. */
export function unreadOf(paths: readonly string[], has: (p: string) => boolean): string[] | undefined {
  const unread = paths.filter((p) => !has(p));
  return unread.length > 0 ? unread : undefined;
}
