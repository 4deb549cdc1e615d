import { describe, expect, it } from "vitest";
import { parseGitHubTarget } from "../../src/cli/target.js";

describe("parseGitHubTarget", () => {
  it("reads users, repositories, refs and github.com URLs", () => {
    expect(parseGitHubTarget("@alice")).toEqual({ kind: "user", user: "alice" });
    expect(parseGitHubTarget("alice/orders-api")).toEqual({ kind: "repo", owner: "alice", repo: "orders-api" });
    expect(parseGitHubTarget("alice/orders-api@v1.2.0")).toEqual({ kind: "repo", owner: "alice", repo: "orders-api", ref: "v1.2.0" });
    expect(parseGitHubTarget("alice/orders.api@feature/x")).toEqual({ kind: "repo", owner: "alice", repo: "orders.api", ref: "feature/x" });
    expect(parseGitHubTarget("https://github.com/alice/orders-api.git")).toEqual({ kind: "repo", owner: "alice", repo: "orders-api" });
    expect(parseGitHubTarget("https://github.com/alice/")).toEqual({ kind: "user", user: "alice" });
  });

  it("leaves paths alone", () => {
    for (const p of [".", "./build/out", "/abs/path", "a/b/c", "C:/x", "dir", "~/x/y"]) expect(parseGitHubTarget(p)).toBeUndefined();
  });
});
