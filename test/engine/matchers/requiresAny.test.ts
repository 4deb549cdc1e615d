import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { loadRuleSet } from "../../../src/engine/loadRules.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { rule, ruleSet } from "../../helpers/rules.js";

const sql = rule("data/sql", { files: { include: "**/*.sql" } });
const nosql = rule("data/nosql", { content: { include: "package.json", pattern: "mongoose" } });
const indexes = rule("data/idx", { content: { include: "**/*.{sql,js}", pattern: "index" } }, { requiresAny: ["data/sql", "data/nosql"] });
const set = ruleSet(sql, nosql, indexes);

async function status(files: Record<string, string>) {
  const r = (await audit(new InMemorySource(files), { ruleSet: set })).results.find((x) => x.id === "data/idx")!;
  return r;
}

describe("requiresAny", () => {
  it("is applicable when any one of the rules passes", async () => {
    expect((await status({ "a.sql": "create index x" })).status).toBe("pass");
    expect((await status({ "package.json": '{"dependencies":{"mongoose":"8"}}', "m.js": "s.index()" })).status).toBe("pass");
    expect((await status({ "package.json": '{"dependencies":{"mongoose":"8"}}', "m.js": "nothing" })).status).toBe("fail");
  });

  it("is not-applicable, naming them, when none passes", async () => {
    expect(await status({ "m.js": "s.index()" })).toMatchObject({ status: "not-applicable", unmetRequires: ["data/sql", "data/nosql"] });
  });

  it("data/indexes is not-applicable without any data store", async () => {
    const shipped = loadRuleSet();
    const result = await audit(new InMemorySource({ "package.json": '{"dependencies": {"express": "^4.19.2"}}', "src/schema.js": "const s = new Schema({ email: { type: String, index: true } });" }), { ruleSet: shipped });
    expect(result.results.find((r) => r.id === "data/indexes")?.status).toBe("not-applicable");
  });
});
