import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { commandLines, parseComment } from "../../../src/app/commands/parse.js";

/**
 * The lines CommonMark (markdown-it) shows as paragraph text, outside raw HTML,
 * quotes and code: what a reader of the rendered comment sees as a command.
 */
function visibleCommandLines(body: string): string[] {
  const lines: string[] = [];
  let quote = 0;
  for (const t of new MarkdownIt({ html: true }).parse(body, {})) {
    if (t.type === "blockquote_open") quote++;
    if (t.type === "blockquote_close") quote--;
    if (t.type !== "inline" || quote > 0) continue;
    let line = "";
    for (const c of t.children ?? []) {
      if (c.type === "text") line += c.content;
      if (c.type === "softbreak" || c.type === "hardbreak") {
        lines.push(line);
        line = "";
      }
    }
    lines.push(line);
  }
  return lines.map((l) => l.trim()).filter((l) => l.split(/\s+/, 1)[0] === "/skillproof");
}

/*
 * Finding 10: a command inside an HTML comment or a raw HTML block ran, though
 * GitHub shows the thread nothing of it (a comment is invisible, `<details>`
 * collapsed). Only commands a reader can see run.
 */
describe("commands hidden in raw HTML", () => {
  it("ignores a command in an HTML comment, on one line or across lines", () => {
    const body = [
      "<!-- /skillproof audit hidden/one -->",
      "<!--",
      "/skillproof audit hidden/two",
      "-->",
      "Thanks! <!-- an inline comment that goes on",
      "/skillproof audit hidden/three",
      "and ends here --> done",
      "  <!-- indented",
      "/skillproof audit hidden/four",
      "   -->",
      "/skillproof audit seen/one",
    ].join("\n");
    expect(commandLines(body)).toEqual(["/skillproof audit seen/one"]);
  });

  it("ignores a command inside <details>, even in Markdown past a blank line, and in other HTML blocks", () => {
    const body = [
      "<details>",
      "<summary>More</summary>",
      "",
      "/skillproof audit hidden/details",
      "",
      "<details><summary>nested</summary>",
      "",
      "/skillproof audit hidden/nested",
      "</details>",
      "",
      "/skillproof audit hidden/still-outer",
      "</details>",
      "",
      "<div>",
      "/skillproof audit hidden/div",
      "</div>",
      "",
      "<span class=x>",
      "/skillproof audit hidden/lone-tag",
      "",
      "<script>",
      "",
      "/skillproof audit hidden/script",
      "</script>",
      "/skillproof audit seen/two",
    ].join("\n");
    expect(commandLines(body)).toEqual(["/skillproof audit seen/two"]);
  });

  it("runs commands after a comment or an element closes, and after a blank line ends an HTML block", () => {
    const body = [
      "<!-- note -->",
      "/skillproof audit seen/a",
      "<!-->",
      "/skillproof audit seen/b",
      "<details><summary>x</summary>y</details>",
      "",
      "/skillproof audit seen/c",
      "<div>",
      "</div>",
      "",
      "/skillproof audit seen/d",
      "```",
      "<!--",
      "```",
      "/skillproof audit seen/e",
    ].join("\n");
    expect(parseComment(body).commands.map((c) => (c.kind === "repo" ? c.repo : c.user))).toEqual(["a", "b", "c"]);
    expect(commandLines(body)).toEqual(["/skillproof audit seen/a", "/skillproof audit seen/b", "/skillproof audit seen/c", "/skillproof audit seen/d", "/skillproof audit seen/e"]);
  });

  it("reads an unclosed comment or <details> as hiding the rest of the comment", () => {
    expect(commandLines("<!--\n/skillproof audit a/b")).toEqual([]);
    expect(commandLines("<details>\n\n/skillproof audit a/b")).toEqual([]);
  });

  it("takes the same lines as CommonMark shows outside raw HTML (bodies without <details>)", () => {
    const bodies = [
      "<!-- a -->\n/skillproof audit a/a\n<!--\n/skillproof audit b/b\n-->\n/skillproof audit c/c",
      "Hi <!-- open\n/skillproof audit d/d\n--> shut\n/skillproof audit e/e",
      "<div>\n/skillproof audit f/f\n\n/skillproof audit g/g\n</div>",
      "<pre>\n\n/skillproof audit h/h\n</pre>\n/skillproof audit i/i",
      "> quoted\n\n/skillproof audit j/j\n\n<b>\n/skillproof audit k/k\n\n/skillproof audit l/l",
    ];
    for (const body of bodies) expect(commandLines(body), body).toEqual(visibleCommandLines(body));
  });
});
