import { Octokit } from "@octokit/rest";
import nock from "nock";
import { ProbotOctokit } from "probot";
import type { RecruitOctokit } from "../../src/recruit/index.js";
import { API } from "../fixtures/github/fakeGitHub.js";
import { FakeGitHubWorld } from "../fixtures/recruit/world.js";
import { USERS } from "../fixtures/recruit/users.js";

/**
 * nock answering every api.github.com request from the fake world (GraphQL
 * only when the client has a token). Optional: an error test may never reach
 * REST; the world counts what was asked.
 */
export function serve(world: FakeGitHubWorld, opts: { graphql: boolean }): void {
  const scope = nock(API).persist();
  scope.get(/.*/).optionally().reply(function (uri) {
    const r = world.handle("GET", uri, "", Boolean(this.req.headers.authorization));
    return [r.status, r.body, r.headers];
  });
  if (opts.graphql) {
    scope.post("/graphql").optionally().reply(function (uri, body) {
      const r = world.handle("POST", uri, typeof body === "string" ? body : JSON.stringify(body), Boolean(this.req.headers.authorization));
      return [r.status, r.body, r.headers];
    });
  }
}

export function newWorld(): FakeGitHubWorld {
  return new FakeGitHubWorld(USERS);
}

/** The app's client (installation token, GraphQL) and the CLI's without a token (REST only). */
export function client(graphql: boolean): RecruitOctokit {
  return graphql
    ? new ProbotOctokit({ auth: { token: "test" }, retry: { enabled: false }, throttle: { enabled: false } })
    : new Octokit({ request: { retries: 0 } });
}
