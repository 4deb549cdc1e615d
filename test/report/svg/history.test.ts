import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { HISTORY_CAP, type HistoryPoint } from "../../../src/report/stored.js";
import { renderHistorySvg } from "../../../src/report/svg/history.js";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["circle", "polyline", "text", "line"].includes(name) });

interface Svg {
  width: string;
  height: string;
  xmlns: string;
  role: string;
  title: string;
  desc: string;
  g: {
    line: Array<Record<string, string>>;
    text: Array<{ "#text": string | number } & Record<string, string>>;
    polyline?: Array<{ points: string }>;
    circle?: Array<{ cx: string; cy: string; r: string; title: string }>;
  };
}

function parse(out: string): Svg {
  expect(XMLValidator.validate(out)).toBe(true);
  return (parser.parse(out) as { svg: Svg }).svg;
}

const sha = (i: number): string => (i % 16).toString(16).repeat(40);
const SCORES = [54, 60, 58, 62, 70, 66, 71, 75, 73, 76, 80, 78];
const point = (i: number, score: number, extra: Partial<HistoryPoint> = {}): HistoryPoint => ({
  commit: sha(i),
  date: new Date(Date.UTC(2024, 0, 1 + i, 12)).toISOString(),
  score,
  skills: {},
  ...extra,
});
const twelve = SCORES.map((s, i) => point(i, s));
const polylinePairs = (svg: Svg): string[] => svg.g.polyline?.[0]?.points.split(" ") ?? [];

describe("renderHistorySvg", () => {
  it("draws many points as a line with a titled dot each, described in words", () => {
    const svg = parse(renderHistorySvg(twelve));
    expect(svg.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(svg.role).toBe("img");
    expect([svg.width, svg.height]).toEqual(["640", "200"]);
    expect(svg.title).toBe("skillproof score history");
    expect(svg.desc).toBe("Score over 12 audited commits, from 54 to 78");
    expect(polylinePairs(svg)).toHaveLength(12);
    expect(svg.g.circle).toHaveLength(12);
    expect(svg.g.circle![0]!.title).toBe("0000000 · 2024-01-01 · 54/100");
    expect(svg.g.circle![11]!.title).toBe("bbbbbbb · 2024-01-12 · 78/100");
    // The polyline runs through the dots.
    expect(polylinePairs(svg)).toEqual(svg.g.circle!.map((c) => `${c.cx},${c.cy}`));
  });

  it("has a 0–100 axis with gridlines and labels at every quarter", () => {
    const svg = parse(renderHistorySvg(twelve));
    expect(svg.g.line).toHaveLength(5);
    const labels = svg.g.text.filter((t) => t["text-anchor"] === "end" && /^\d+$/.test(String(t["#text"])));
    expect(labels.map((t) => Number(t["#text"]))).toEqual([0, 25, 50, 75, 100]);
    const ys = svg.g.line.map((l) => Number(l.y1));
    expect(ys).toEqual([...ys].sort((a, b) => b - a)); // 0 at the bottom, 100 at the top
    const at = (score: number): number => ys[[0, 25, 50, 75, 100].indexOf(score)]!;
    const dots = parse(renderHistorySvg([point(0, 0), point(1, 100), point(2, 50)])).g.circle!;
    expect(dots.map((c) => Number(c.cy))).toEqual([at(0), at(100), at(50)]);
  });

  it("spaces points equally in audit order, whatever their dates", () => {
    const dates = ["2020-01-01", "2020-01-02", "2023-06-01", "2023-06-01"];
    const dots = parse(renderHistorySvg(dates.map((date, i) => point(i, 50, { date })))).g.circle!;
    const xs = dots.map((c) => Number(c.cx));
    const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 0);
    expect(gaps[0]).toBeGreaterThan(0);
  });

  it("says \"No audits yet\" when there is nothing to draw", () => {
    const out = renderHistorySvg([]);
    const svg = parse(out);
    expect(svg.desc).toBe("No audits yet");
    expect(svg.g.text.map((t) => t["#text"])).toContain("No audits yet");
    expect(svg.g.circle).toBeUndefined();
    expect(svg.g.polyline).toBeUndefined();
  });

  it("draws a single audit as one dot, no line", () => {
    const svg = parse(renderHistorySvg([point(3, 78)]));
    expect(svg.desc).toBe("Score over 1 audited commit: 78");
    expect(svg.g.circle).toHaveLength(1);
    expect(svg.g.polyline).toBeUndefined();
    expect(svg.g.circle![0]!.title).toBe("3333333 · 2024-01-04 · 78/100");
  });

  it(`draws only the most recent ${HISTORY_CAP} points`, () => {
    const many = Array.from({ length: 250 }, (_, i) => point(i, i % 101));
    const svg = parse(renderHistorySvg(many));
    expect(HISTORY_CAP).toBe(200);
    expect(svg.g.circle).toHaveLength(200);
    expect(polylinePairs(svg)).toHaveLength(200);
    expect(svg.desc).toBe(`Score over the last 200 of 250 audited commits, from ${50 % 101} to ${249 % 101}`);
    expect(svg.g.circle![0]!.title).toBe(`${sha(50).slice(0, 7)} · 2024-02-20 · 50/100`);
  });

  it("never prints a hostile commit or date, and clamps scores", () => {
    const hostile = [
      point(0, Number.NaN, { commit: `<script>alert(1)</script>`, date: `"><img src=x onerror=alert(1)>` }),
      point(1, 150, { commit: `abc1234"/><a href="javascript:x">`, date: "not a date" }),
      point(2, -20, { commit: "zzzzzzz" }),
      point(3, 64.6, { commit: 42 as unknown as string, date: 7 as unknown as string }),
    ];
    const out = renderHistorySvg(hostile);
    expect(out).not.toMatch(/script|<img|href|javascript|zzzz|onerror|abc1234/);
    const svg = parse(out);
    expect(svg.g.circle!.map((c) => c.title)).toEqual(["? · ? · 0/100", "? · ? · 100/100", "? · 2024-01-03 · 0/100", "? · ? · 65/100"]);
    expect(svg.desc).toBe("Score over 4 audited commits, from 0 to 65");
  });

  it("takes a size, within bounds", () => {
    const size = (options: { width?: number; height?: number }) => {
      const svg = parse(renderHistorySvg(twelve, options));
      return [Number(svg.width), Number(svg.height)];
    };
    expect(size({ width: 800, height: 300 })).toEqual([800, 300]);
    expect(size({ width: Number.NaN, height: Infinity })).toEqual([640, 200]);
    expect(size({ width: 10, height: 1e9 })).toEqual([240, 1000]);
    const wide = parse(renderHistorySvg(twelve, { width: 1000 })).g.circle!;
    expect(Number(wide.at(-1)!.cx)).toBeGreaterThan(900);
  });

  it("is self-contained, short-coordinate and deterministic", () => {
    for (const out of [renderHistorySvg([]), renderHistorySvg([point(0, 1)]), renderHistorySvg(twelve, { width: 333, height: 177 })]) {
      expect(out).not.toMatch(/<script|href|style|<image|<foreignObject|url\(/);
      for (const [, value] of out.matchAll(/ (?:x|y|x1|x2|y1|y2|cx|cy|r)="([^"]*)"/g)) expect(value).toMatch(/^\d+(\.\d)?$/);
      for (const pair of out.match(/points="([^"]*)"/)?.[1]?.split(" ") ?? []) expect(pair).toMatch(/^\d+(\.\d)?,\d+(\.\d)?$/);
    }
    expect(renderHistorySvg(twelve)).toBe(renderHistorySvg(structuredClone(twelve)));
  });
});
