import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { BADGE_BANDS } from "../../../src/report/badge.js";
import { BADGE_COLOR_HEX, clampScore, renderBadgeSvg } from "../../../src/report/svg/badge.js";
import { escapeXml, textWidth } from "../../../src/report/svg/text.js";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["rect", "text"].includes(name) });

interface Svg {
  width: string;
  height: string;
  xmlns: string;
  role: string;
  "aria-label": string;
  title: string;
  g: [{ rect: Array<Record<string, string>> }, { text: Array<Record<string, string>> }];
}

function parse(svg: string): Svg {
  expect(XMLValidator.validate(svg)).toBe(true);
  return (parser.parse(svg) as { svg: Svg }).svg;
}

/** The label box, message box and background overlay, in that order. */
const boxes = (svg: Svg) => svg.g[0].rect;
const texts = (svg: Svg) => svg.g[1].text;

describe("renderBadgeSvg", () => {
  it("is a standalone, named SVG image", () => {
    const svg = parse(renderBadgeSvg(78));
    expect(svg.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(svg.role).toBe("img");
    expect(svg["aria-label"]).toBe("skillproof: 78/100");
    expect(svg.title).toBe("skillproof: 78/100");
    expect(Number(svg.height)).toBe(20);
    expect(Number(svg.width)).toBe(Number(boxes(svg)[0]!.width) + Number(boxes(svg)[1]!.width));
    // Each text twice: a 1px shadow under the white text.
    expect(texts(svg).map((t) => [t["#text"], t.y])).toEqual([["skillproof", "15"], ["skillproof", "14"], ["78/100", "15"], ["78/100", "14"]]);
  });

  it("colours the message by the score's band", () => {
    const scores = [95, 80, 65, 50, 30, 10];
    expect(scores.map((s) => BADGE_BANDS.find((b) => s >= b.min)!.min)).toEqual([90, 75, 60, 40, 20, 0]);
    expect(scores.map((s) => boxes(parse(renderBadgeSvg(s)))[1]!.fill)).toEqual(["#4c1", "#97ca00", "#a4a61d", "#dfb317", "#fe7d37", "#e05d44"]);
    expect(boxes(parse(renderBadgeSvg(95)))[0]!.fill).toBe("#555");
  });

  it("shows a missing score as \"no report\" in grey", () => {
    const svg = parse(renderBadgeSvg(null));
    expect(svg["aria-label"]).toBe("skillproof: no report");
    expect(boxes(svg)[1]!.fill).toBe(BADGE_COLOR_HEX.lightgrey);
    expect(BADGE_COLOR_HEX.lightgrey).toBe("#9f9f9f");
  });

  it("clamps scores to 0–100 and shows NaN as 0", () => {
    expect(parse(renderBadgeSvg(Number.NaN))["aria-label"]).toBe("skillproof: 0/100");
    expect(parse(renderBadgeSvg(-5))["aria-label"]).toBe("skillproof: 0/100");
    expect(parse(renderBadgeSvg(150))["aria-label"]).toBe("skillproof: 100/100");
    expect(parse(renderBadgeSvg(77.6))["aria-label"]).toBe("skillproof: 78/100");
    expect(boxes(parse(renderBadgeSvg(Number.NaN)))[1]!.fill).toBe(BADGE_COLOR_HEX.red);
    expect([Number.NaN, -1, 0, 49.5, 100, Infinity].map(clampScore)).toEqual([0, 0, 0, 50, 100, 100]);
  });

  it("sizes each box to its text, so longer text makes a wider badge that still holds it", () => {
    const widths = ["ok", "skillproof", "backend skills evidence"].map((label) => Number(parse(renderBadgeSvg(78, { label })).width));
    expect(widths[0]).toBeLessThan(widths[1]!);
    expect(widths[1]).toBeLessThan(widths[2]!);
    expect(Number(parse(renderBadgeSvg(5)).width)).toBeLessThan(Number(parse(renderBadgeSvg(100)).width));
    for (const label of ["ok", "WWWWWWWW", "mmm", "ünïcödé 検査"]) {
      const svg = parse(renderBadgeSvg(100, { label }));
      const [labelBox, messageBox] = boxes(svg);
      const [labelText, , messageText] = texts(svg);
      expect(Number(labelText!.textLength)).toBeGreaterThanOrEqual(textWidth(label));
      expect(Number(labelBox!.width)).toBe(Number(labelText!.textLength) + 10);
      expect(Number(messageBox!.width)).toBe(Number(messageText!.textLength) + 10);
      // Centred in its own box.
      expect(Number(labelText!.x)).toBe(Number(labelBox!.width) / 2);
      expect(Number(messageText!.x)).toBe(Number(messageBox!.x) + Number(messageBox!.width) / 2);
    }
  });

  it("escapes a hostile label and keeps the document well-formed", () => {
    const label = `<script>alert("x")</script> & 'co'\u0000`;
    const out = renderBadgeSvg(78, { label });
    expect(out).not.toContain("<script");
    expect(out).toContain("&lt;script&gt;");
    expect(out).toContain("&amp;");
    const svg = parse(out);
    expect(svg.title).toBe(`<script>alert("x")</script> & 'co'\ufffd: 78/100`);
    expect(svg["aria-label"]).toBe(svg.title);
  });

  it("keeps to a default label when given an empty one, and cuts a very long one", () => {
    expect(parse(renderBadgeSvg(78, { label: " " }))["aria-label"]).toBe("skillproof: 78/100");
    const long = parse(renderBadgeSvg(78, { label: "x".repeat(500) }));
    expect(long["aria-label"]).toBe(`${"x".repeat(63)}…: 78/100`);
  });

  it("writes whole or one-decimal coordinates, no script, no external reference", () => {
    const out = renderBadgeSvg(100, { label: "a label with odd widths" });
    for (const [, value] of out.matchAll(/ (?:x|y|width|height|textLength)="([^"]*)"/g)) expect(value).toMatch(/^\d+(\.\d)?$/);
    expect(out).not.toMatch(/<script|href|style=|<style|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
  });

  it("is deterministic", () => {
    expect(renderBadgeSvg(78)).toBe(renderBadgeSvg(78));
    expect(renderBadgeSvg(78)).toMatchInlineSnapshot(`
      "<svg xmlns="http://www.w3.org/2000/svg" width="110" height="20" viewBox="0 0 110 20" role="img" aria-label="skillproof: 78/100">
      <title>skillproof: 78/100</title>
      <linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
      <clipPath id="r"><rect width="110" height="20" rx="3" fill="#fff"/></clipPath>
      <g clip-path="url(#r)"><rect width="61" height="20" fill="#555"/><rect x="61" width="49" height="20" fill="#97ca00"/><rect width="110" height="20" fill="url(#s)"/></g>
      <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">
      <text aria-hidden="true" x="30.5" y="15" fill="#010101" fill-opacity=".3" textLength="51">skillproof</text><text x="30.5" y="14" textLength="51">skillproof</text>
      <text aria-hidden="true" x="85.5" y="15" fill="#010101" fill-opacity=".3" textLength="39">78/100</text><text x="85.5" y="14" textLength="39">78/100</text>
      </g>
      </svg>
      "
    `);
  });
});

describe("svg text helpers", () => {
  it("escapes markup and drops characters XML cannot carry", () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    expect(escapeXml("a\u0001b\u001bc\ud800d\te😀")).toBe("a\ufffdb\ufffdc\ufffdd\te😀");
  });

  it("estimates width per character, a full em for what the table lacks", () => {
    expect(textWidth("")).toBe(0);
    expect(textWidth("i")).toBeLessThan(textWidth("m"));
    expect(textWidth("78/100")).toBeCloseTo(5 * 7 + 3.71);
    expect(textWidth("検")).toBe(11);
    expect(textWidth("😀")).toBe(11);
  });
});
