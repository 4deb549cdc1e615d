#!/usr/bin/env node
// Extracts the request-body schemas of the GitHub REST operations the app
// sends bodies to, from @octokit/openapi's dereferenced description, into
// test/fixtures/app/openapi-extract.json (checked in, so tests need neither
// the 70 MB file nor network). Run again after upgrading @octokit/openapi.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const OPERATIONS = ["checks/create", "checks/update", "issues/create", "issues/update", "issues/create-label"];
const OUT = new URL("../test/fixtures/app/openapi-extract.json", import.meta.url);

const require = createRequire(import.meta.url);
const file = require.resolve("@octokit/openapi/generated/api.github.com.deref.json");
const pkg = JSON.parse(readFileSync(require.resolve("@octokit/openapi/package.json"), "utf8"));
const spec = JSON.parse(readFileSync(file, "utf8"));

const operations = {};
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (!OPERATIONS.includes(op?.operationId)) continue;
    const schema = op.requestBody?.content?.["application/json"]?.schema;
    if (!schema) throw new Error(`${op.operationId} has no JSON request body`);
    operations[op.operationId] = { method: method.toUpperCase(), path, requestBody: schema };
  }
}
for (const id of OPERATIONS) if (!operations[id]) throw new Error(`operation ${id} not found`);

const extract = {
  source: `@octokit/openapi ${pkg.version} generated/api.github.com.deref.json (OpenAPI ${spec.openapi})`,
  generatedBy: "scripts/extract-openapi.js",
  operations,
};
writeFileSync(OUT, `${JSON.stringify(extract, null, 2)}\n`);
console.log(`wrote ${Object.keys(operations).length} operations to ${OUT.pathname}`);
