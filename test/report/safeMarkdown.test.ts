import { describe, expect, it } from "vitest";
import { codeSpan, githubBlobUrl, githubUrl, inlineText, markdownLink, trustedCell, trustedInline, urlSegment, wholeLinesWithin } from "../../src/report/safeMarkdown.js";
import { githubMarkdown, inspectMarkdown } from "../helpers/githubMarkdown.js";

/** Strings a repository can hold in a file name, a ref or a line, each aimed at a different piece of syntax. */
const HOSTILE = [
  "deploy/0c`](https://evil.example/phish) @octocat [y.dockerfile",
  "**bold** _em_ ~~strike~~ $x^2$",
  "owner/repo#1 and #12 and GH-7 and gh-8",
  "&#64;name &amp; &lt;b&gt;",
  "@@name @org/team user@example.com",
  "<img src=x onerror=alert(1)> <!-- c --> <details>",
  "a ``` b ` c",
  "`starts and ends`",
  "| cell | break |",
  "line one\n# heading\n- item\r\n> quote",
  "www.evil.example and https://evil.example/x and ftp://evil.example",
  "[x](https://evil.example) ![i](https://evil.example/i.png) <https://evil.example>",
  "1. not a list",
  "\\`escaped\\` \\| back\\slash",
  "esc \x1b[2J bidi \u202Eevil",
];

describe("inlineText", () => {
  it.each(HOSTILE)("renders %j as plain text: no link, HTML, mention, reference or block", (s) => {
    const { problems, visible } = inspectMarkdown(`before ${inlineText(s)} after`);
    expect(problems).toEqual([]);
    expect(visible.trim().split("\n")).toHaveLength(1);
    expect(visible).toContain(s.split(/[\r\n]/)[0]!.split(String.fromCharCode(27))[0]!.split("\u202e")[0]!.trim());
  });

  it("shows the characters it was given, with controls as visible stand-ins", () => {
    const { visible } = inspectMarkdown(inlineText("a*b*_c_ `d` &#64;e <f> \\g\nh"));
    expect(visible).toBe("a*b*_c_ `d` &#64;e <f> \\g␊h\n");
  });

  it.each(["- a", "+ a", "1. a", "12) a", "= a", "# a", "> a", "*** ", "___"])("starts no block when %j begins a line", (s) => {
    const blocks = githubMarkdown()
      .parse(inlineText(s), {})
      .map((t) => t.type);
    expect(blocks).toEqual(["paragraph_open", "inline", "paragraph_close"]);
    expect(inspectMarkdown(inlineText(s)).visible).toBe(`${s.trim()}\n`);
  });

  it("keeps a table row whole", () => {
    const md = ["| A | B |", "|---|---|", `| ${inlineText("x | y \\| z")} | 2 |`].join("\n");
    const { problems, visible } = inspectMarkdown(md);
    expect(problems).toEqual([]);
    expect(visible).toBe("A\nB\nx | y \\| z\n2\n");
  });
});

describe("codeSpan", () => {
  it.each(HOSTILE)("holds %j in one code span that cannot be closed from inside", (s) => {
    const { problems } = inspectMarkdown(`before ${codeSpan(s)} after`);
    expect(problems).toEqual([]);
  });

  it("renders exactly the text, backticks and edge spaces included", () => {
    for (const s of ["a ``` b ` c", "`x`", " y ", "``", "plain"]) {
      expect(inspectMarkdown(codeSpan(s)).visible).toBe(`${s}\n`);
    }
  });

  it("keeps a newline from starting a block", () => {
    const md = `- ${codeSpan("a\n# h\n\n| t |")}`;
    expect(inspectMarkdown(md).visible).toBe("a␊# h␊␊| t |\n");
  });
});

describe("links", () => {
  it("encodes every path segment so nothing closes the destination", () => {
    expect(urlSegment("a)b(c !'*")).toBe("a%29b%28c%20%21%27%2A");
    const url = githubBlobUrl("octo", "svc", "abc123", "deploy/0c`](https://evil.example/phish) @octocat [y.dockerfile", 3);
    const md = markdownLink(codeSpan("deploy/0c`](https://evil.example/phish) @octocat [y.dockerfile:3"), url);
    const { problems, visible } = inspectMarkdown(md);
    expect(problems).toEqual([]);
    expect(visible).toBe("deploy/0c`](https://evil.example/phish) @octocat [y.dockerfile:3\n");
    expect(url).toBe("https://github.com/octo/svc/blob/abc123/deploy/0c%60%5D%28https%3A//evil.example/phish%29%20%40octocat%20%5By.dockerfile#L3");
  });

  it("refuses a destination that is not a GitHub URL built here", () => {
    expect(() => markdownLink("x", "https://evil.example/")).toThrow(/unsafe link/);
    expect(() => markdownLink("x", "https://github.com/a b")).toThrow(/unsafe link/);
    expect(githubUrl("o", "r")).toBe("https://github.com/o/r");
  });
});

describe("trusted rule text", () => {
  it("keeps its Markdown on one line, and a table cell whole", () => {
    expect(trustedInline("Add a `Dockerfile`\nand **tests**.")).toBe("Add a `Dockerfile` and **tests**.");
    expect(trustedCell("a | b \\| c")).toBe("a \\| b \\| c");
  });
});

describe("the GitHub reading used by these tests", () => {
  it("sees the links, HTML, mentions and references in the raw strings", () => {
    const problems = inspectMarkdown(HOSTILE.join("\n\n")).problems.join("\n");
    for (const kind of ["link to https://evil.example/phish", "mention in text", "issue reference", "GH- reference", "raw HTML", "www autolink", "image"]) {
      expect(problems).toContain(kind);
    }
  });
});

describe("wholeLinesWithin", () => {
  it("cuts at a line end, never inside a code span", () => {
    const md = `a\n${codeSpan("[x](https:/evil.example) @octocat")}\nb\n`;
    expect(wholeLinesWithin(md, md.length)).toBe(md);
    for (let max = 0; max < md.length; max++) expect(inspectMarkdown(wholeLinesWithin(md, max)).problems).toEqual([]);
    expect(wholeLinesWithin(md, 10)).toBe("a\n");
  });
});

describe("trustedInline and a mention after a slash", () => {
  it("quiets `@Retry/@RateLimiter` in prose but keeps an `@` inside a URL", () => {
    expect(trustedInline("Use Resilience4j's @Retry/@RateLimiter.")).toBe("Use Resilience4j's @\u200bRetry/@\u200bRateLimiter.");
    expect(trustedInline("See [it](https://www.npmjs.com/package/@nestjs/swagger) and @nestjs/swagger")).toBe(
      "See [it](https://www.npmjs.com/package/@nestjs/swagger) and @\u200bnestjs/swagger",
    );
  });
});
