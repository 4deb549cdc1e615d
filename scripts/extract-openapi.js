#!/usr/bin/env node
// Extracts the request-body schemas of the GitHub REST operations the app
// sends bodies to, from @octokit/openapi's dereferenced description, into
// test/fixtures/app/openapi-extract.json (checked in, so tests need neither
// the 70 MB description nor network).
//
// @octokit/openapi is not a dependency (it is 385 MB installed) and not a CLI,
// so `npx @octokit/openapi` cannot run it. Regenerate on demand with:
//
//   node scripts/extract-openapi.js                 # npm pack @octokit/openapi@23.0.2 into a temp folder
//   node scripts/extract-openapi.js 24.0.0          # another version
//   node scripts/extract-openapi.js path/to/openapi-23.0.2.tgz
//
// It downloads only the package tarball through npm (`npm pack`, your npm
// registry and cache settings apply) and streams the one JSON file it needs
// out of it; nothing is installed. Bump OPENAPI_VERSION when you regenerate
// against a newer GitHub description.
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { extract as untar } from "tar-stream";

const OPENAPI_VERSION = "23.0.2";
const ENTRY = "package/generated/api.github.com.deref.json";
const OPERATIONS = ["checks/create", "checks/update", "issues/create", "issues/update", "issues/create-label"];
const OUT = new URL("../test/fixtures/app/openapi-extract.json", import.meta.url);

/** The package tarball: the path given, or `npm pack` of the version given (default OPENAPI_VERSION). */
function tarball(arg, temp) {
  if (arg?.endsWith(".tgz")) return arg;
  const spec = `@octokit/openapi@${arg ?? OPENAPI_VERSION}`;
  console.log(`npm pack ${spec} …`);
  const npm = spawnSync("npm", ["pack", spec, "--pack-destination", temp, "--silent"], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (npm.status !== 0) throw new Error(`npm pack ${spec} failed (exit ${npm.status ?? npm.signal})`);
  const file = readdirSync(temp).find((f) => f.endsWith(".tgz"));
  if (!file) throw new Error(`npm pack ${spec} wrote no tarball`);
  return join(temp, file);
}

/** Reads the named files of a .tgz as UTF-8 text, skipping the rest without buffering it. */
async function readFromTarball(file, names) {
  const found = new Map();
  const tar = untar();
  tar.on("entry", (header, stream, next) => {
    if (!names.includes(header.name)) {
      stream.on("end", next);
      stream.resume();
      return;
    }
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      found.set(header.name, Buffer.concat(chunks).toString("utf8"));
      next();
    });
  });
  await pipeline(createReadStream(file), createGunzip(), tar);
  for (const n of names) if (!found.has(n)) throw new Error(`${n} not found in ${file}`);
  return found;
}

async function main() {
  const temp = mkdtempSync(join(tmpdir(), "octokit-openapi-"));
  try {
    const files = await readFromTarball(tarball(process.argv[2], temp), [ENTRY, "package/package.json"]);
    const pkg = JSON.parse(files.get("package/package.json"));
    const spec = JSON.parse(files.get(ENTRY));

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
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`extract-openapi: ${err.message}`);
  process.exit(1);
});
