import { badgeColor } from "../badge.js";
import { escapeXml, textWidth } from "./text.js";

/** The shields.io named colours `badgeColor` answers with, as shields draws them. */
export const BADGE_COLOR_HEX: Readonly<Record<string, string>> = {
  brightgreen: "#4c1",
  green: "#97ca00",
  yellowgreen: "#a4a61d",
  yellow: "#dfb317",
  orange: "#fe7d37",
  red: "#e05d44",
  lightgrey: "#9f9f9f",
};

export interface BadgeSvgOptions {
  /** Left-hand text; "skillproof" unless given. */
  label?: string;
}

const DEFAULT_LABEL = "skillproof";
/** A label longer than this is cut: a badge is a few words, and its width grows with every character. */
const MAX_LABEL_CHARS = 64;
const HEIGHT = 20;
/** Space either side of each text, as shields' flat badges have. */
const PADDING = 5;
const LABEL_FILL = "#555";
const FONT = "Verdana,Geneva,DejaVu Sans,sans-serif";

/** A score as the renderers show it: a whole number 0–100, NaN (or anything not a number) as 0. */
export function clampScore(score: number): number {
  if (typeof score !== "number" || Number.isNaN(score)) return 0;
  return Math.round(Math.min(100, Math.max(0, score)));
}

/** One decimal at most, no trailing ".0": coordinates stay short and the output byte-stable. */
const num = (n: number): string => String(Math.round(n * 10) / 10);

/**
 * A flat shields.io-style badge: grey label, message coloured by the score's
 * band (src/report/badge.ts). `null` is a repository without a score: "no report" in grey.
 */
export function renderBadgeSvg(score: number | null, options: BadgeSvgOptions = {}): string {
  const label = badgeLabel(options.label);
  const message = score === null ? "no report" : `${clampScore(score)}/100`;
  const color = BADGE_COLOR_HEX[score === null ? "lightgrey" : badgeColor(clampScore(score))] ?? BADGE_COLOR_HEX.lightgrey;
  // Boxes are sized from the estimate; textLength pins the drawn text to that
  // width, so a font with other metrics is squeezed rather than overflowing.
  const labelText = Math.ceil(textWidth(label));
  const messageText = Math.ceil(textWidth(message));
  const labelBox = labelText + 2 * PADDING;
  const messageBox = messageText + 2 * PADDING;
  const width = labelBox + messageBox;
  const name = escapeXml(`${label}: ${message}`);
  const text = (content: string, center: number, length: number): string => {
    const shown = escapeXml(content);
    return [
      `<text aria-hidden="true" x="${num(center)}" y="15" fill="#010101" fill-opacity=".3" textLength="${length}">${shown}</text>`,
      `<text x="${num(center)}" y="14" textLength="${length}">${shown}</text>`,
    ].join("");
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${name}">`,
    `<title>${name}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${labelBox}" height="${HEIGHT}" fill="${LABEL_FILL}"/><rect x="${labelBox}" width="${messageBox}" height="${HEIGHT}" fill="${color}"/><rect width="${width}" height="${HEIGHT}" fill="url(#s)"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="${FONT}" text-rendering="geometricPrecision" font-size="11">`,
    text(label, labelBox / 2, labelText),
    text(message, labelBox + messageBox / 2, messageText),
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

function badgeLabel(label: string | undefined): string {
  if (label === undefined || label.trim() === "") return DEFAULT_LABEL;
  const chars = [...label];
  return chars.length > MAX_LABEL_CHARS ? `${chars.slice(0, MAX_LABEL_CHARS - 1).join("")}…` : label;
}
