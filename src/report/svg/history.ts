import { HISTORY_CAP, type HistoryPoint } from "../stored.js";
import { clampScore } from "./badge.js";
import { escapeXml } from "./text.js";

export interface HistorySvgOptions {
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 200;
/** Sizes outside these bounds would leave no room for the plot, or cost bytes for nothing. */
const WIDTH_RANGE: [number, number] = [240, 2000];
const HEIGHT_RANGE: [number, number] = [120, 1000];
const MARGIN = { left: 40, right: 16, top: 12, bottom: 28 };
const GRID_SCORES = [0, 25, 50, 75, 100];
const FONT = "Verdana,Geneva,DejaVu Sans,sans-serif";
/** All at least 4.5:1 on white but the gridlines, which only guide the eye. */
const COLORS = { line: "#0969da", text: "#57606a", grid: "#d8dee4", axis: "#8c959f" };

/** One decimal at most, no trailing ".0": short coordinates, byte-stable output. */
const num = (n: number): string => String(Math.round(n * 10) / 10);

/**
 * The score over a repository's audited commits, oldest first as stored. Only
 * the most recent HISTORY_CAP points are drawn.
 */
export function renderHistorySvg(points: HistoryPoint[], options: HistorySvgOptions = {}): string {
  const width = dimension(options.width, DEFAULT_WIDTH, WIDTH_RANGE);
  const height = dimension(options.height, DEFAULT_HEIGHT, HEIGHT_RANGE);
  const drawn = points.slice(-HISTORY_CAP);
  const plot = { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: height - MARGIN.bottom };
  const y = (score: number): number => plot.y1 - (score / 100) * (plot.y1 - plot.y0);
  // Points are spaced equally in audit order, not by date: a burst of pushes
  // in one afternoon then a quiet month would otherwise crowd into a blot.
  const x = (i: number): number => (drawn.length === 1 ? (plot.x0 + plot.x1) / 2 : plot.x0 + (i * (plot.x1 - plot.x0)) / (drawn.length - 1));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>skillproof score history</title>`,
    `<desc>${escapeXml(describe(points.length, drawn))}</desc>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<g font-family="${FONT}" font-size="11">`,
  ];
  for (const score of GRID_SCORES) {
    out.push(`<line x1="${plot.x0}" y1="${num(y(score))}" x2="${plot.x1}" y2="${num(y(score))}" stroke="${score === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`);
    out.push(`<text x="${plot.x0 - 6}" y="${num(y(score) + 4)}" text-anchor="end" fill="${COLORS.text}">${score}</text>`);
  }

  if (drawn.length === 0) {
    // Between two gridlines, so no line runs through the words.
    out.push(`<text x="${num((plot.x0 + plot.x1) / 2)}" y="${num(y(62.5) + 4)}" text-anchor="middle" font-size="13" fill="${COLORS.text}">No audits yet</text>`);
  } else {
    const scores = drawn.map((p) => clampScore(p.score));
    if (drawn.length > 1) {
      const line = scores.map((s, i) => `${num(x(i))},${num(y(s))}`).join(" ");
      out.push(`<polyline points="${line}" fill="none" stroke="${COLORS.line}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`);
    }
    // Smaller dots once they would overlap, so the line stays readable.
    const radius = drawn.length > 60 ? 2 : 3;
    drawn.forEach((p, i) => {
      const label = `${shortSha(p.commit)} · ${isoDay(p.date)} · ${scores[i]}/100`;
      out.push(`<circle cx="${num(x(i))}" cy="${num(y(scores[i] ?? 0))}" r="${radius}" fill="${COLORS.line}"><title>${escapeXml(label)}</title></circle>`);
    });
    const baseline = height - 8;
    const first = escapeXml(isoDay(drawn[0]?.date));
    if (drawn.length === 1) {
      out.push(`<text x="${num(x(0))}" y="${baseline}" text-anchor="middle" fill="${COLORS.text}">${first}</text>`);
    } else {
      out.push(`<text x="${plot.x0}" y="${baseline}" text-anchor="start" fill="${COLORS.text}">${first}</text>`);
      out.push(`<text x="${plot.x1}" y="${baseline}" text-anchor="end" fill="${COLORS.text}">${escapeXml(isoDay(drawn.at(-1)?.date))}</text>`);
    }
  }
  out.push(`</g>`, `</svg>`, "");
  return out.join("\n");
}

/** The chart's text alternative: how many commits, and where the score went. */
function describe(total: number, drawn: HistoryPoint[]): string {
  if (drawn.length === 0) return "No audits yet";
  const first = clampScore(drawn[0]?.score ?? 0);
  const last = clampScore(drawn.at(-1)?.score ?? 0);
  if (total === 1) return `Score over 1 audited commit: ${last}`;
  const span = drawn.length < total ? `the last ${drawn.length} of ${total} audited commits` : `${total} audited commits`;
  return `Score over ${span}, from ${first} to ${last}`;
}

/** The first 7 hex digits; anything that is not a commit id prints as "?". */
function shortSha(commit: unknown): string {
  return typeof commit === "string" && /^[0-9a-f]{7,40}$/i.test(commit) ? commit.slice(0, 7).toLowerCase() : "?";
}

/** YYYY-MM-DD in UTC (the same on every server); "?" when the date does not parse. */
function isoDay(date: unknown): string {
  if (typeof date !== "string") return "?";
  const ms = Date.parse(date);
  if (!Number.isFinite(ms)) return "?";
  const day = new Date(ms).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : "?";
}

function dimension(value: number | undefined, fallback: number, [min, max]: [number, number]): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return fallback;
  return Math.round(Math.min(max, Math.max(min, value)));
}
