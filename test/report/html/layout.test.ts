import { describe, expect, it } from "vitest";
import { BADGE_BANDS } from "../../../src/report/badge.js";
import { html } from "../../../src/report/html/escape.js";
import { BAND_BACKGROUNDS, PALETTE, renderPage, scoreMeter, STYLESHEET, STYLESHEET_PATH, timeTag } from "../../../src/report/html/layout.js";
import { expectWellFormedPage } from "./htmlCheck.js";

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("PALETTE", () => {
  it("keeps every text colour at WCAG AA (4.5:1) on the backgrounds it is drawn on", () => {
    for (const fg of [PALETTE.text, PALETTE.muted, PALETTE.link, PALETTE.pass, PALETTE.token, PALETTE.fail]) {
      for (const bg of [PALETTE.background, PALETTE.codeBackground]) expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    for (const band of BADGE_BANDS) {
      const bg = BAND_BACKGROUNDS[band.color];
      expect(bg, band.color).toBeDefined();
      expect(contrast(PALETTE.bandText, bg!), band.color).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("STYLESHEET", () => {
  it("styles every band, wraps long text and code, and loads nothing", () => {
    for (const band of BADGE_BANDS) expect(STYLESHEET).toContain(`.band-${band.color} {`);
    expect(STYLESHEET).toContain("overflow-wrap: anywhere");
    expect(STYLESHEET).toMatch(/pre \{[^}]*white-space: pre-wrap/);
    expect(STYLESHEET).not.toMatch(/url\(|@import/);
  });
});

describe("renderPage", () => {
  it("is a whole document with landmarks and no inline style or script", () => {
    const doc = renderPage({ title: "T <x>", css: STYLESHEET_PATH, main: html`<h1>Hi</h1>`, nav: [{ href: "/u/a", label: "<b>" }] });
    expectWellFormedPage(doc);
    expect(doc).toContain("<title>T &lt;x&gt;</title>");
    expect(doc).toContain('<a href="/u/a">&lt;b&gt;</a>');
  });

  it("refuses a stylesheet or a link that is not http(s) or a path", () => {
    expect(() => renderPage({ title: "T", css: "javascript:x", main: html`` })).toThrow(/unsafe link/);
  });
});

describe("parts", () => {
  it("names a meter and shows its value as text", () => {
    expect(scoreMeter("A & B", 73).value).toBe(
      '<div class="meter"><meter min="0" max="100" low="40" high="75" optimum="100" value="73" aria-label="A &amp; B: 73 out of 100">73/100</meter> <span class="meter-value">73/100</span></div>',
    );
    expect(scoreMeter("A", null).value).toContain("n/a");
  });

  it("shows times in UTC and leaves what is no time as text", () => {
    expect(timeTag("2026-11-30T10:15:30+01:00").value).toBe('<time datetime="2026-11-30T09:15:30.000Z">2026-11-30 09:15 UTC</time>');
    expect(timeTag("<soon>").value).toBe("&lt;soon&gt;");
  });
});
