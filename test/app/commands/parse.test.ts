import { describe, expect, it } from "vitest";
import {
  commandLines,
  formatCommand,
  isRefName,
  MAX_COMMANDS_PER_COMMENT,
  parseCommandLine,
  parseComment,
} from "../../../src/app/commands/parse.js";

const one = (line: string) => parseCommandLine(line);

describe("parseCommandLine", () => {
  it("reads a repository, with or without a ref, and a candidate", () => {
    expect(one("/skillproof audit octo-org/hello.world")).toEqual({ command: { kind: "repo", owner: "octo-org", repo: "hello.world" } });
    expect(one("/skillproof audit octocat/Hello-World@feature/x-1")).toEqual({ command: { kind: "repo", owner: "octocat", repo: "Hello-World", ref: "feature/x-1" } });
    expect(one("/skillproof audit octocat/api@v1.2.0 for @monalisa")).toEqual({
      command: { kind: "repo", owner: "octocat", repo: "api", ref: "v1.2.0", candidate: "monalisa" },
    });
    expect(one("/skillproof audit octocat/api.git")).toEqual({ command: { kind: "repo", owner: "octocat", repo: "api" } });
  });

  it("reads a portfolio with --max-repos in both spellings, case-insensitive verb", () => {
    expect(one("/skillproof audit @monalisa")).toEqual({ command: { kind: "portfolio", user: "monalisa" } });
    expect(one("/Skillproof AUDIT @monalisa --max-repos 12")).toEqual({ command: { kind: "portfolio", user: "monalisa", maxRepos: 12 } });
    expect(one("/skillproof audit @m-1 --max-repos=20")).toEqual({ command: { kind: "portfolio", user: "m-1", maxRepos: 20 } });
  });

  it.each([
    ["/skillproof", "no verb"],
    ["/skillproof scan octocat/api", 'unknown verb "scan"'],
    ["/skillproof audit", "no target"],
    ["/skillproof audit octocat", "neither owner/repo nor @user"],
    ["/skillproof audit -octocat/api", "not a GitHub owner name"],
    ["/skillproof audit octocat/a/b", "neither owner/repo nor @user"],
    ["/skillproof audit octo_cat/api", "not a GitHub owner name"],
    ["/skillproof audit octocat/..", "not a GitHub repository name"],
    ["/skillproof audit octocat/a$b", "not a GitHub repository name"],
    [`/skillproof audit octocat/${"r".repeat(101)}`, "not a GitHub repository name"],
    [`/skillproof audit @${"u".repeat(40)}`, "not a GitHub user name"],
    ["/skillproof audit @", "not a GitHub user name"],
    ["/skillproof audit octocat/api@bad..ref", "not a branch, tag or commit"],
    ["/skillproof audit octocat/api@", "not a branch, tag or commit"],
    ["/skillproof audit @monalisa --max-repos 0", "from 1 to 20"],
    ["/skillproof audit @monalisa --max-repos 21", "from 1 to 20"],
    ["/skillproof audit @monalisa --max-repos", "from 1 to 20"],
    ["/skillproof audit @monalisa --max-repos six", "from 1 to 20"],
    ["/skillproof audit @monalisa --max-repos 2 --max-repos 3", "twice"],
    ["/skillproof audit octocat/api --max-repos 3", "goes with @user"],
    ["/skillproof audit @monalisa for @octocat", "goes with a repository"],
    ["/skillproof audit octocat/api for monalisa", "`for` needs a GitHub user"],
    ["/skillproof audit octocat/api please", 'unexpected "please"'],
  ])("%s → malformed (%s)", (line, problem) => {
    const r = one(line);
    expect("malformed" in r && r.malformed.problem).toContain(problem);
  });

  it("formats a command back as typed", () => {
    for (const line of ["/skillproof audit octocat/api@main for @monalisa", "/skillproof audit @monalisa --max-repos 3", "/skillproof audit a/b"]) {
      const r = one(line);
      expect("command" in r && formatCommand(r.command)).toBe(line);
    }
  });
});

describe("isRefName", () => {
  it("follows git check-ref-format", () => {
    for (const ok of ["main", "release/2.0", "v1.0.0", "0123456789abcdef0123456789abcdef01234567", "a-b_c"]) expect(isRefName(ok)).toBe(true);
    for (const bad of ["", "a..b", "a b", "x~1", "x^", "a:b", "a?", "a*", "a[", "a\\b", "/a", "a/", "a//b", "-a", "a.lock", ".a", "a/.b", "a@{1}", "@", "a."]) {
      expect(isRefName(bad)).toBe(false);
    }
  });
});

describe("commandLines", () => {
  it("finds commands on any line and ignores other text", () => {
    const body = "Hi team,\r\ncould you check this one?\r\n  /skillproof audit octocat/api\r\nthanks! /skillproof audit x/y is inline, not a command\n/skillproofing is another word";
    expect(commandLines(body)).toEqual(["/skillproof audit octocat/api"]);
  });

  it("ignores quoted lines, fenced code blocks (``` and ~~~) and indented code", () => {
    const body = [
      "> /skillproof audit quoted/one",
      "  > /skillproof audit quoted/two",
      "```",
      "/skillproof audit fenced/one",
      "```not-a-close",
      "/skillproof audit fenced/two",
      "```",
      "~~~~md",
      "/skillproof audit fenced/three",
      "~~~",
      "/skillproof audit fenced/four",
      "~~~~",
      "    /skillproof audit indented/one",
      "\t/skillproof audit indented/two",
      "`/skillproof audit inline/code`",
      "/skillproof audit real/one",
    ].join("\n");
    expect(commandLines(body)).toEqual(["/skillproof audit real/one"]);
  });

  it("treats an unclosed fence as code to the end of the comment", () => {
    expect(commandLines("```\n/skillproof audit a/b")).toEqual([]);
  });
});

describe("parseComment", () => {
  it("runs each distinct command, duplicates once, and drops those beyond the limit", () => {
    const body = [
      "/skillproof audit a/one",
      "/skillproof audit A/ONE",
      "/skillproof audit @bob",
      "/skillproof nonsense",
      "/skillproof audit a/two@dev",
      "/skillproof audit a/three",
      "/skillproof audit a/four",
    ].join("\n");
    const parsed = parseComment(body);
    expect(MAX_COMMANDS_PER_COMMENT).toBe(3);
    expect(parsed.commands).toEqual([
      { kind: "repo", owner: "a", repo: "one" },
      { kind: "portfolio", user: "bob" },
      { kind: "repo", owner: "a", repo: "two", ref: "dev" },
    ]);
    expect(parsed.dropped.map(formatCommand)).toEqual(["/skillproof audit a/three", "/skillproof audit a/four"]);
    expect(parsed.malformed).toEqual([{ line: "/skillproof nonsense", problem: 'unknown verb "nonsense"' }]);
  });

  it("finds nothing in a comment without a command, or an empty one", () => {
    expect(parseComment("LGTM")).toEqual({ commands: [], dropped: [], malformed: [] });
    expect(parseComment(null)).toEqual({ commands: [], dropped: [], malformed: [] });
  });
});

describe("--role and compare", () => {
  it("reads --role on a repository or a portfolio audit, in both spellings, as a lower-case id", () => {
    expect(one("/skillproof audit octocat/api --role backend-java")).toEqual({ command: { kind: "repo", owner: "octocat", repo: "api", role: "backend-java" } });
    expect(one("/skillproof audit @monalisa --max-repos 3 --role=Backend-Python")).toEqual({ command: { kind: "portfolio", user: "monalisa", maxRepos: 3, role: "backend-python" } });
    expect(formatCommand({ kind: "repo", owner: "o", repo: "r", candidate: "x", role: "platform" })).toBe("/skillproof audit o/r for @x --role platform");
  });

  it("reads compare: 2 to 10 distinct candidates and a role, wherever --role stands", () => {
    expect(one("/skillproof compare acme/svc-a @bob acme/svc-b@v2 --role backend-node")).toEqual({
      command: {
        kind: "compare",
        role: "backend-node",
        targets: [
          { kind: "repo", owner: "acme", repo: "svc-a" },
          { kind: "portfolio", user: "bob" },
          { kind: "repo", owner: "acme", repo: "svc-b", ref: "v2" },
        ],
      },
    });
    expect(one("/skillproof COMPARE --role platform @a @b @A")).toEqual({ command: { kind: "compare", role: "platform", targets: [{ kind: "portfolio", user: "a" }, { kind: "portfolio", user: "b" }] } });
    const ten = Array.from({ length: 10 }, (_, i) => `@u${i}`).join(" ");
    expect(one(`/skillproof compare ${ten} --role platform`)).toMatchObject({ command: { kind: "compare" } });
    expect(formatCommand({ kind: "compare", role: "platform", targets: [{ kind: "repo", owner: "a", repo: "b", ref: "x" }, { kind: "portfolio", user: "c" }] })).toBe(
      "/skillproof compare a/b@x @c --role platform",
    );
  });

  it.each([
    ["/skillproof compare @a @b", "compare needs --role"],
    ["/skillproof compare @a --role platform", "compare takes 2 to 10 different candidates"],
    ["/skillproof compare @a @a --role platform", "compare takes 2 to 10 different candidates"],
    [`/skillproof compare ${Array.from({ length: 11 }, (_, i) => `@u${i}`).join(" ")} --role platform`, "got 11"],
    ["/skillproof compare @a @b --role", "--role needs a role id"],
    ["/skillproof compare @a @b --role platform --role backend-go", "--role given twice"],
    ["/skillproof compare @a octocat --role platform", "neither owner/repo nor @user"],
    ["/skillproof compare @a @b --role platform --max-repos 2", 'unexpected "--max-repos"'],
    // A role is an id, never a file on the app's disk.
    ["/skillproof compare @a @b --role ../../etc/role.yml", "is not a role id"],
    ["/skillproof audit @a --role roles/x.yml", "is not a role id"],
    ["/skillproof audit o/r --role platform --role platform", "--role given twice"],
  ])("%s is not understood: %s", (line, problem) => {
    const r = one(line);
    expect("malformed" in r && r.malformed.problem).toContain(problem);
  });

  it("the same repository with and without a role are two commands; the same compare twice is one", () => {
    const parsed = parseComment("/skillproof audit a/b\n/skillproof audit a/b --role platform\n/skillproof compare @x @y --role platform\n/skillproof compare @X @Y --role platform");
    expect(parsed.commands.map(formatCommand)).toEqual(["/skillproof audit a/b", "/skillproof audit a/b --role platform", "/skillproof compare @x @y --role platform"]);
  });
});
