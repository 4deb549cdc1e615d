import type { Report } from "./model.js";

/**
 * Score bands for the badge colour, highest first (shields.io named colours).
 * 90 is the score CI holds skillproof itself to; each band below is a step a
 * reader can tell apart at a glance.
 */
export const BADGE_BANDS: ReadonlyArray<{ min: number; color: string }> = [
  { min: 90, color: "brightgreen" },
  { min: 75, color: "green" },
  { min: 60, color: "yellowgreen" },
  { min: 40, color: "yellow" },
  { min: 20, color: "orange" },
  { min: 0, color: "red" },
];

export interface ShieldsEndpoint {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
}

export function badgeColor(score: number): string {
  return BADGE_BANDS.find((b) => score >= b.min)?.color ?? "red";
}

/** The shields.io endpoint object for a score (https://shields.io/badges/endpoint-badge). */
export function shieldsEndpoint(score: number): ShieldsEndpoint {
  return { schemaVersion: 1, label: "skillproof", message: `${score}/100`, color: badgeColor(score) };
}

/** The Markdown a candidate puts in a README or a CV: the badge image, linking to the report page. */
export function badgeMarkdown(badgeUrl: string, pageUrl: string): string {
  return `[![skillproof](${badgeUrl})](${pageUrl})`;
}

/** A shields.io endpoint badge: publish the JSON and point the badge at it. */
export function renderBadge(report: Report): string {
  return `${JSON.stringify(shieldsEndpoint(report.score))}\n`;
}
