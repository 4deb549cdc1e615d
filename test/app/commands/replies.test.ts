import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { portfolioBody, portfolioMarker, portfolioRoom, portfolioTitle } from "../../../src/app/publish/portfolioIssue.js";
import { fitComment, MAX_COMMENT_LENGTH, notRunReply, quietMentions } from "../../../src/app/commands/replies.js";
import { MAX_ISSUE_BODY } from "../../../src/app/publish/reportIssue.js";

describe("fitComment", () => {
  it("leaves a comment within the limit as it is", () => {
    const text = "x".repeat(MAX_COMMENT_LENGTH);
    expect(fitComment(text)).toBe(text);
  });

  it("cuts a longer one at a line's end within the limit and says so (a cut inside a code span would let its content render)", () => {
    const note = "\n\n… (trimmed to GitHub's comment limit)";
    const cut = MAX_COMMENT_LENGTH - note.length;
    // A line with a code span and an emoji (two UTF-16 units) straddling the cut.
    const head = "a\n".repeat((cut - 10) / 2);
    const text = `${head}\`[x](https://evil.example) @octocat\` 😀\n` + "b".repeat(100);
    const out = fitComment(text);
    expect(out.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(out).toBe(head.slice(0, -1) + note);
  });
});

describe("quietMentions", () => {
  it("keeps @logins readable but not mentions, wherever Markdown puts them", () => {
    expect(quietMentions("@alice authored 80%")).toBe("@\u200balice authored 80%");
    expect(quietMentions("_@alice authored_ · **@bob** · [@carol](https://github.com/carol) (@dave)")).toBe(
      "_@\u200balice authored_ · **@\u200bbob** · [@\u200bcarol](https://github.com/carol) (@\u200bdave)",
    );
  });

  it("leaves what is no mention alone: refs, e-mail addresses, code spans", () => {
    const text = "`octo/api@c8d477f` · octo/api@main · jane@example.com · `@alice`";
    expect(quietMentions(text)).toBe(text);
  });
});

describe("notRunReply", () => {
  it("lists each line not understood, then the usage line", () => {
    const reply = notRunReply("ann", [{ line: "/skillproof", problem: "no verb" }], []);
    expect(reply).toContain("@ann, I could not read this command:\n- `/skillproof`: no verb.\n\nUsage: `/skillproof audit owner/repo[@ref] [for @user]`");
  });
});

describe("the portfolio issue body", () => {
  it("starts with the marker and stays within GitHub's 65,536 characters", () => {
    const body = portfolioBody("MonaLisa", "r\n".repeat(MAX_ISSUE_BODY));
    // Whole lines of two characters: the last one may not fit.
    expect(body.length).toBeLessThanOrEqual(MAX_ISSUE_BODY);
    expect(body.length).toBeGreaterThanOrEqual(MAX_ISSUE_BODY - 1);
    expect(body.endsWith("r\n")).toBe(true);
    expect(body.startsWith(`${portfolioMarker("monalisa")}\n`)).toBe(true);
    expect(portfolioRoom("MonaLisa") + portfolioMarker("MonaLisa").length + 1).toBe(MAX_ISSUE_BODY);
    expect(portfolioTitle("MonaLisa")).toBe("Skillproof portfolio: @MonaLisa");
  });
});

describe("app.yml", () => {
  it("subscribes to issue_comment, the event the command arrives with, without asking for more permissions", () => {
    const manifest = parse(readFileSync(new URL("../../../app.yml", import.meta.url), "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
    expect(manifest.default_events).toContain("issue_comment");
    expect(manifest.default_permissions).toEqual({ metadata: "read", contents: "read", checks: "write", issues: "write", pull_requests: "read" });
  });
});

describe("recruiter replies: mentions and references from repository text stay quiet", () => {
  it("quietMentions also breaks @@name and the entity spellings of @", async () => {
    const { inspectMarkdown } = await import("../../helpers/githubMarkdown.js");
    const text = "by @@mallory and &#64;eve and &#x40;trudy and &commat;oscar";
    expect(inspectMarkdown(text).problems.filter((p) => p.startsWith("mention"))).not.toEqual([]);
    expect(inspectMarkdown(quietMentions(text)).problems).toEqual([]);
  });

  it("a problem sentence carrying a hostile name shows no mention, reference or link", async () => {
    const { inspectMarkdown } = await import("../../helpers/githubMarkdown.js");
    const { problemReply } = await import("../../../src/app/commands/replies.js");
    const sentence = 'Repository x/y has no branch, tag or commit "@octocat &#64;eve @@bob #1 acme/web#2 GH-3 [z](https://evil.example)".';
    const reply = problemReply("Codertocat", { kind: "repo", owner: "x", repo: "y", ref: "v1" }, sentence);
    const problems = inspectMarkdown(reply).problems;
    // The only mention is the asker's own, which is meant.
    expect(problems).toEqual(['mention in text: "@Codertocat, "']);
  });
});
