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

/** A shields.io endpoint badge (https://shields.io/badges/endpoint-badge): publish the JSON and point the badge at it. */
export function renderBadge(report: Report): string {
  const badge: ShieldsEndpoint = { schemaVersion: 1, label: "skillproof", message: `${report.score}/100`, color: badgeColor(report.score) };
  return `${JSON.stringify(badge)}\n`;
}
