import { describe, expect, it } from "vitest";
import { routeOf } from "../../../src/app/pages/serve.js";

describe("routeOf", () => {
  it("names each page by its path, in any case, with or without a trailing slash or a query", () => {
    expect(routeOf("/r/Octo-cat/my.repo_1")).toEqual({ kind: "page", owner: "Octo-cat", repo: "my.repo_1" });
    expect(routeOf("/r/octo/repo/?utm=x")).toEqual({ kind: "page", owner: "octo", repo: "repo" });
    expect(routeOf("/r/octo/repo/history.svg")).toEqual({ kind: "history", owner: "octo", repo: "repo" });
    expect(routeOf("/badge/octo/repo.svg")).toEqual({ kind: "badge-svg", owner: "octo", repo: "repo" });
    expect(routeOf("/badge/octo/my.repo.json")).toEqual({ kind: "badge-json", owner: "octo", repo: "my.repo" });
    expect(routeOf("/u/octo/")).toEqual({ kind: "portfolio", owner: "octo", repo: "" });
    expect(routeOf("/assets/skillproof.css")).toMatchObject({ kind: "css" });
  });

  it("leaves every other path to the next handler", () => {
    for (const path of ["/", "/ping", "/metrics", "/api/github/webhooks", "/rules", "/badges", "/user/x", "/assets/other.css"]) expect(routeOf(path), path).toBeNull();
  });

  it("answers names GitHub cannot have, traversal and oversized paths as nothing (a 404)", () => {
    for (const path of ["/r/..%2F../x", "/r/octo/..", "/r/octo/.", "/r/-octo/x", "/r/octo", "/r/octo/repo/extra", "/r/a/b/c/d", "/u/bad_name", "/u/", "/badge/octo/repo.png", "/badge/octo/.svg", "/r/%E0%A4%A/x", `/r/${"a".repeat(400)}/b`, "/r/octo/re%00po"]) {
      expect(routeOf(path), path).toBeUndefined();
    }
  });
});
