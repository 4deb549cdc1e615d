import { expect } from "vitest";

const VOID = new Set(["meta", "link", "img", "br", "hr", "input", "source", "wbr", "col", "area", "base", "embed", "track"]);

/** Tags in document order (start or end), from HTML that has no comments, scripts or CDATA. */
function tags(doc: string): Array<{ name: string; end: boolean; attrs: string; at: number }> {
  return [...doc.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => ({ end: m[1] === "/", name: m[2]!.toLowerCase(), attrs: m[3]!, at: m.index }));
}

/** Checks the quality bars the pages promise (a cheap stand-in for a browser and axe-core). */
export function expectWellFormedPage(doc: string): void {
  expect(doc.startsWith("<!doctype html>\n<html lang=\"en\">")).toBe(true);
  expect(doc).toContain('<meta charset="utf-8">');
  expect(doc).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  expect(doc).toMatch(/<title>[^<]+<\/title>/);
  for (const landmark of ["header", "main", "footer"]) expect(doc.match(new RegExp(`<${landmark}[ >]`, "g"))).toHaveLength(1);
  // The CSP allows no inline script or style.
  expect(doc).not.toMatch(/<script/i);
  expect(doc).not.toMatch(/<style/i);
  expect(doc.match(/<link [^>]*>/g)).toEqual(['<link rel="stylesheet" href="/assets/skillproof.css">']);

  // Every element closed in order.
  const open: string[] = [];
  for (const t of tags(doc)) {
    if (VOID.has(t.name)) continue;
    if (!t.end) open.push(t.name);
    else expect(open.pop(), `</${t.name}> at ${t.at}`).toBe(t.name);
  }
  expect(open).toEqual([]);

  // One h1, and no level skipped on the way down.
  const levels = [...doc.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
  expect(levels.filter((l) => l === 1)).toHaveLength(1);
  expect(levels[0]).toBe(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);

  // Images have alt text, links have text, meters have a name, header cells a scope.
  for (const img of doc.match(/<img [^>]*>/g) ?? []) expect(img).toMatch(/ alt="[^"]+"/);
  for (const m of doc.matchAll(/<a [^>]*>(.*?)<\/a>/gs)) expect(m[1]!.replace(/<[^>]+>/g, "").trim()).not.toBe("");
  for (const meter of doc.match(/<meter [^>]*>/g) ?? []) expect(meter).toMatch(/ aria-label="[^"]+"/);
  for (const th of doc.match(/<th[ >][^>]*/g) ?? []) expect(th).toMatch(/ scope="(col|row)"/);
  // Attribute values are all double-quoted, so escaping `"` is what keeps them closed; none is a style or an event handler.
  for (const t of tags(doc)) {
    const rest = t.attrs.replace(/\s[a-z-]+="[^"]*"/g, "").trim();
    expect(rest, `<${t.name}${t.attrs}>`).toBe("");
    for (const [, name] of t.attrs.matchAll(/\s([a-z-]+)="[^"]*"/g)) expect(name, `<${t.name}${t.attrs}>`).not.toMatch(/^(on|style$)/);
  }
}
