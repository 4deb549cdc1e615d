import type { Report } from "../../report/model.js";
import { codeSpan, trustedInline } from "../../report/safeMarkdown.js";

type ReportRule = Report["rules"][number];

export interface Delta {
  /** head score − base score. */
  change: number;
  /** Rules that pass on the head but did not on the base. */
  nowPassing: ReportRule[];
  /** Rules that passed on the base and fail on the head. */
  nowFailing: ReportRule[];
}

export function compareReports(base: Report, head: Report): Delta {
  const before = new Map(base.rules.map((r) => [r.id, r.status]));
  return {
    change: head.score - base.score,
    nowPassing: head.rules.filter((r) => r.status === "pass" && before.get(r.id) !== "pass"),
    nowFailing: head.rules.filter((r) => r.status === "fail" && before.get(r.id) === "pass"),
  };
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "±0";
}

/** "+3: containers/multi-stage now passes, data/migrations now fails" — the gist, at most `max` rules named. */
export function deltaLine(delta: Delta, max = Infinity): string {
  const parts = [
    ...delta.nowPassing.map((r) => `${r.id} now passes`),
    ...delta.nowFailing.map((r) => `${r.id} now fails`),
  ];
  const shown = parts.slice(0, max).join(", ") + (parts.length > max ? `, +${parts.length - max} more` : "");
  return `${signed(delta.change)}${shown ? `: ${shown}` : ""}`;
}

/**
 * The delta section above the head's report in the check-run summary. Rule
 * titles and fixes are rule-authored Markdown (kept to one line, no live
 * mention: `trustedInline`); ids and the sha go in code spans that nothing
 * inside can close.
 */
export function renderDelta(delta: Delta, base: Report): string {
  const t = base.target;
  const baseLabel = t.kind === "github" ? codeSpan(t.sha.slice(0, 7)) : "the base";
  const out = [`**${signed(delta.change)}** against the base branch (${baseLabel}: ${base.score}/100)`, ""];
  for (const r of delta.nowPassing) out.push(`- ✅ ${codeSpan(r.id)} now passes: ${trustedInline(r.title)}`);
  for (const r of delta.nowFailing) out.push(`- ❌ ${codeSpan(r.id)} now fails: ${trustedInline(r.title)} — **Fix:** ${trustedInline(r.fix)}`);
  if (delta.nowPassing.length === 0 && delta.nowFailing.length === 0) out.push("No rule changed its verdict.");
  out.push("", "---", "");
  return out.join("\n");
}
