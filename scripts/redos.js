#!/usr/bin/env node
// The ReDoS record of the shipped rules: test/engine/redos-verified.json lists every regular
// expression a rule ships, keyed by (flags, source), with recheck's verdict on it, like a
// lockfile. test/engine/redos.test.ts fails when a shipped pattern has no record (unless recheck,
// run there, finds it safe), when a record is exponential or an unexplained polynomial, and when
// a record names a pattern no longer shipped. This script writes the record.
//
//   node scripts/redos.js               list shipped patterns without a record and stale records (no recheck)
//   node scripts/redos.js --update      check the patterns without a record, drop stale records, rewrite the file
//   node scripts/redos.js --update --all   check every pattern again
//   --timeout SECONDS                   recheck's budget per pattern (default 60)
//
// It reads the rule YAML directly (no build needed). recheck's "auto" backend uses the native
// binary of its optional dependency (recheck-linux-x64 and the like) when it is installed, else
// its pure-JavaScript engine in a worker: the full catalog takes about 6 minutes natively.
//
// A polynomial verdict is kept only with a one-line `bounded` reason saying why the input that
// pattern sees is bounded (the engine cuts lines at MAX_LINE_CHARS, src/engine/facts.ts, and
// reads files up to MAX_READ_BYTES, src/sources/source.ts); --update leaves it empty for a new
// one and the test fails until someone writes it. An exponential verdict is written down too,
// so the test can name it, but the only fix is to rewrite the pattern.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const RULES_DIR = join(ROOT, "rules");
export const RECORD_FILE = join(ROOT, "test", "engine", "redos-verified.json");

/**
 * Every regex-valued field of a rule's matcher, with the flags the engine compiles it with
 * (src/engine/matchers/*). A new regex field of rules/schema.json must be added here:
 * test/engine/redos.test.ts compares the fields with the schema.
 * @param {ReadonlyArray<{ file?: string, id: string, match: object }>} rules
 * @returns {Array<{ file: string, where: string, source: string, flags: string }>}
 */
export function shippedPatterns(rules) {
  const out = [];
  const visit = (m, file) => {
    const add = (where, source, flags) => out.push({ file, where, source, flags });
    if ("all" in m) return m.all.forEach((x) => visit(x, file));
    if ("any" in m) return m.any.forEach((x) => visit(x, file));
    if ("not" in m) return visit(m.not, file);
    if ("content" in m) {
      add("content.pattern", m.content.pattern, `gm${m.content.flags ?? ""}`);
      const dep = m.content.within?.dependency;
      if (dep?.pattern) add("content.within.dependency.pattern", dep.pattern, "i");
    }
    if ("dependency" in m && m.dependency.pattern) add("dependency.pattern", m.dependency.pattern, "i");
    if ("dockerfile" in m && m.dockerfile.argsPattern) add("dockerfile.argsPattern", m.dockerfile.argsPattern, "i");
    if ("compose" in m && m.compose.image) add("compose.image", m.compose.image, "i");
    if ("ci" in m) {
      const flags = m.ci.flags ?? "";
      if (m.ci.run) add("ci.run", m.ci.run, flags);
      if (m.ci.uses) add("ci.uses", m.ci.uses, flags);
      if (m.ci.ignoreJobsMatching) add("ci.ignoreJobsMatching", m.ci.ignoreJobsMatching, `m${flags}`);
      for (const [k, v] of Object.entries(m.ci.with ?? {})) add(`ci.with.${k}`, v, flags);
    }
  };
  for (const r of rules) visit(r.match, r.file ?? r.id);
  return out;
}

/** The record's key: the same source compiled with other flags is another pattern. */
export const recordKey = (p) => JSON.stringify([p.flags, p.source]);

/** @returns {Array<{ flags: string, source: string, status: string, complexity?: string, degree?: number, bounded?: string }>} */
export function readRecord(file = RECORD_FILE) {
  return JSON.parse(readFileSync(file, "utf8")).patterns;
}

/**
 * recheck's verdict on one pattern, as the record stores it. `unknown` (recheck ran out of time
 * or gave up) is returned as such: it is never written to the record.
 */
export async function checkPattern(source, flags, timeoutMs) {
  const { check } = createRequire(import.meta.url)("recheck");
  const d = await check(source, flags, { timeout: timeoutMs });
  if (d.status === "safe") return { flags, source, status: "safe" };
  if (d.status === "vulnerable") {
    const c = d.complexity;
    return {
      flags,
      source,
      status: "vulnerable",
      complexity: c.type,
      ...(c.type === "polynomial" ? { degree: c.degree } : {}),
      attack: d.attack.pattern.slice(0, 200),
    };
  }
  return { flags, source, status: "unknown", error: d.error?.kind ?? "unknown" };
}

function loadRules(dir = RULES_DIR) {
  const rules = [];
  for (const skill of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const f of readdirSync(join(dir, skill.name)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      rules.push({ ...parse(readFileSync(join(dir, skill.name, f), "utf8")), file: `${skill.name}/${f}` });
    }
  }
  return rules;
}

async function main() {
  const { values } = parseArgs({ options: { update: { type: "boolean" }, all: { type: "boolean" }, timeout: { type: "string", default: "60" } } });
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new Error(`--timeout: expected seconds, got "${values.timeout}"`);
  const shipped = new Map();
  for (const p of shippedPatterns(loadRules())) {
    const k = recordKey(p);
    shipped.set(k, { ...p, where: [...(shipped.get(k)?.where ?? []), `${p.file} ${p.where}`] });
  }
  const old = new Map(readRecord().map((r) => [recordKey(r), r]));
  const missing = [...shipped.keys()].filter((k) => values.all || !old.has(k));
  const stale = [...old.keys()].filter((k) => !shipped.has(k));
  if (!values.update) {
    for (const k of missing) console.log(`no record: ${shipped.get(k).where.join(", ")} /${shipped.get(k).source}/${shipped.get(k).flags}`);
    for (const k of stale) console.log(`stale record: /${old.get(k).source}/${old.get(k).flags}`);
    console.log(`${shipped.size} shipped patterns, ${missing.length} without a record, ${stale.length} stale records`);
    return missing.length + stale.length === 0 ? 0 : 1;
  }

  const problems = [];
  const fresh = new Map();
  let next = 0;
  // Two at a time: recheck's native agent runs requests in parallel, and CI runners have two cores.
  const worker = async () => {
    while (next < missing.length) {
      const k = missing[next++];
      const p = shipped.get(k);
      const started = Date.now();
      const v = await checkPattern(p.source, p.flags, timeoutMs);
      const where = p.where.join(", ");
      console.log(`${String(Date.now() - started).padStart(6)} ms ${v.status}${v.complexity ? ` ${v.complexity}${v.degree ? ` ${v.degree}` : ""}` : ""}  ${where}`);
      if (v.status === "unknown") {
        problems.push(`${where}: recheck could not decide (${v.error}) within ${values.timeout} s: simplify the pattern`);
        continue;
      }
      const { attack, ...entry } = v;
      if (entry.complexity === "exponential") problems.push(`${where}: exponential backtracking (attack ${attack}): rewrite the pattern`);
      if (entry.complexity === "polynomial") {
        const kept = old.get(k);
        entry.bounded = kept?.complexity === "polynomial" && kept.degree === entry.degree ? (kept.bounded ?? "") : "";
        if (!entry.bounded) problems.push(`${where}: polynomial of degree ${entry.degree} (attack ${attack}): write in "bounded" why its input is bounded, or rewrite it`);
      }
      fresh.set(k, entry);
    }
  };
  await Promise.all([worker(), worker()]);
  const patterns = [...shipped.keys()]
    .map((k) => fresh.get(k) ?? (values.all ? undefined : old.get(k)))
    .filter(Boolean)
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.flags < b.flags ? -1 : a.flags > b.flags ? 1 : 0));
  const { version } = createRequire(import.meta.url)("recheck/package.json");
  writeFileSync(RECORD_FILE, `${JSON.stringify({ checker: `recheck ${version}`, patterns }, null, 2)}\n`);
  console.log(`wrote ${RECORD_FILE}: ${patterns.length} patterns (${fresh.size} checked now, ${stale.length} stale dropped)`);
  for (const p of problems) console.error(p);
  return problems.length === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`redos: ${err.message}`);
      process.exit(2);
    },
  );
}
