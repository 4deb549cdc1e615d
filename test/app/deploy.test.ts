import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Array<{ op: string; args: string }> {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(" ") };
    });
}

describe("Dockerfile", () => {
  const ins = instructions(read("Dockerfile"));
  const froms = ins.map((i, n) => ({ ...i, n })).filter((i) => i.op === "FROM");
  const final = ins.slice(froms.at(-1)!.n);

  it("is multi-stage: the runtime stage copies the build output from the build stage", () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(final.some((i) => i.op === "COPY" && /--from=build\s+\/app\/dist/.test(i.args))).toBe(true);
  });

  it("installs only production dependencies at runtime, without the prepare script (tsc is a dev dependency)", () => {
    const install = final.find((i) => i.op === "RUN" && i.args.includes("npm ci"));
    expect(install?.args).toMatch(/--omit=dev/);
    expect(install?.args).toMatch(/--ignore-scripts/);
  });

  it("runs as a non-root user, listens on all interfaces, and exposes Probot's port", () => {
    const user = final.filter((i) => i.op === "USER").at(-1);
    expect(user?.args).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
    const env = final.filter((i) => i.op === "ENV").map((i) => i.args).join(" ");
    expect(env).toMatch(/HOST=0\.0\.0\.0/);
    expect(env).toMatch(/NODE_ENV=production/);
    expect(final.some((i) => i.op === "EXPOSE" && i.args === "3000")).toBe(true);
    expect(final.some((i) => i.op === "HEALTHCHECK" && i.args.includes("/ping"))).toBe(true);
  });

  it("keeps the report pages' audits in a folder the app's user owns, declared as a volume", () => {
    const env = final.filter((i) => i.op === "ENV").map((i) => i.args).join(" ");
    const dir = /SKILLPROOF_DATA_DIR=(\S+)/.exec(env)?.[1];
    expect(dir).toBeDefined();
    const run = final.filter((i) => i.op === "RUN").map((i) => i.args).join(" ");
    expect(run).toContain(`mkdir -p ${dir}`);
    expect(run).toMatch(new RegExp(`chown node:node ${dir}`));
    expect(final.some((i) => i.op === "VOLUME" && i.args.includes(dir!))).toBe(true);
  });

  it("starts the compiled app's own entry, as npm start does, with node as the process that gets SIGTERM", () => {
    const cmd = final.filter((i) => i.op === "CMD").at(-1)!;
    expect(JSON.parse(cmd.args)).toEqual(["node", "dist/app/server.js"]);
    const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe("node dist/app/server.js");
  });

  it(".dockerignore keeps secrets and local output out of the build context", () => {
    const ignored = read(".dockerignore").split("\n").map((l) => l.trim());
    for (const entry of [".git", "node_modules", "dist", ".env", "*.pem"]) expect(ignored).toContain(entry);
  });
});

describe("app.yml", () => {
  const manifest = parse(read("app.yml")) as { default_events: string[]; default_permissions: Record<string, string> };

  it("asks for the least permissions the app uses", () => {
    expect(manifest.default_permissions).toEqual({ metadata: "read", contents: "read", checks: "write", issues: "write", pull_requests: "read" });
  });

  it("subscribes to the events the app handles (installation events are always sent and are not valid manifest values)", () => {
    expect([...manifest.default_events].sort()).toEqual(["check_run", "check_suite", "issue_comment", "pull_request", "push", "repository"]);
  });
});

describe(".env.example", () => {
  it("documents the settings Probot reads", () => {
    const text = read(".env.example");
    for (const name of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "LOG_LEVEL", "GHE_HOST", "SKILLPROOF_PUBLIC_URL", "SKILLPROOF_DATA_DIR"]) expect(text).toMatch(new RegExp(`^#? ?${name}=`, "m"));
  });
});
