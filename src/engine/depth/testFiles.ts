import { languageOf } from "../../stack/index.js";
import type { AuditFacts } from "../facts.js";
import { dirname, filesOfRule, listed, plural } from "./leaves.js";
import type { DepthProbe, RuleDepth } from "./types.js";

/** At most this many test files are read to see whether they test anything (the token bar, docs/depth.md). */
export const TOKEN_TEST_FILES = 2;

/** testing/test-files: how many tests, against how much code; one or two trivial ones are token evidence. */
export const testFilesProbe: DepthProbe = {
  needs(rule, facts) {
    const tests = filesOfRule(rule.match, facts);
    return tests.length <= TOKEN_TEST_FILES ? tests : [];
  },
  measure({ rule, result, facts, languages }) {
    const tests = filesOfRule(rule.match, facts, result.evidence.map((e) => e.path));
    const testLanguages = new Map<string, number>();
    for (const p of tests) {
      const lang = languageOf(p);
      if (lang) testLanguages.set(lang, (testLanguages.get(lang) ?? 0) + 1);
    }
    // Source files: files of the languages the tests are written in, minus the tests.
    let source = 0;
    for (const l of languages) if (testLanguages.has(l.name)) source += l.files - testLanguages.get(l.name)!;
    const ratio = source > 0 ? Math.round((tests.length / source) * 100) / 100 : null;
    const out: RuleDepth = {
      facts: { testFiles: tests.length, sourceFiles: source, testToSourceRatio: ratio },
      summary: `${plural(tests.length, "test file")}${ratio === null ? "" : `, test-to-source ratio ${ratio}`}`,
      depth: "full",
    };
    if (tests.length > TOKEN_TEST_FILES) return out;
    const thin: string[] = [];
    for (const p of tests) {
      const text = facts.text(p);
      const why = typeof text === "string" ? thinTest(p, text, facts) : undefined;
      if (!why) return out;
      thin.push(`${p} ${why}`);
    }
    if (thin.length === 0) return out;
    return {
      ...out,
      depth: "token",
      depthReason: `only ${plural(tests.length, "test file")}: ${listed(thin)}`,
    };
  },
};

/**
 * Why a test file proves nothing about the project, or undefined when it may:
 * every assertion compares constants, or (where imports can be told apart) it
 * imports no project code and does not drive the running application.
 */
export function thinTest(path: string, text: string, facts: AuditFacts): string | undefined {
  const asserts = assertionLines(text);
  if (asserts.length > 0 && asserts.every(isConstantAssertion)) return `only asserts constants (${asserts[0]!.trim().replace(/;$/, "").slice(0, 60)})`;
  if (DRIVES_APP.test(text)) return undefined;
  const imports = importsProjectCode(path, text, facts);
  if (imports === false) return asserts.length === 0 ? "asserts nothing and imports no project code" : "imports no project code";
  return undefined;
}

const NOT_CODE = /^\s*(?:\/\/|#(?!\[)|\*|\/\*|--|import\b|from\s+\S+\s+import\b|using\b|use\b|package\b|require\s*\(|const\s+\{?[\w\s,]*\}?\s*=\s*require\b)/;
const ASSERTION = /(?:^|[^\w$])(?:expect\w*|assert\w*|Assert\w*|XCTAssert\w*|should|(?:t|c|s|suite|require)\.(?:is|not|deepEqual|equal|true|false|Equal\w*|True|False))\b/;

function assertionLines(text: string): string[] {
  return text.split("\n").filter((l) => ASSERTION.test(l) && !NOT_CODE.test(l));
}

const VOCABULARY = new Set([
  "expect", "assert", "should", "to", "be", "been", "is", "eq", "eql", "equal", "equals", "deep", "strict", "ok", "not", "that",
  "true", "false", "True", "False", "None", "null", "nil", "undefined", "NaN", "self", "this", "t", "c", "s", "it", "test", "describe",
  "async", "await", "function", "return", "new", "and", "or", "require", "suite", "fn", "void", "def", "end", "do", "val", "let", "var", "const",
]);
const VOCABULARY_SHAPE = /^(?:to[A-Z]\w*|assert\w*|Assert\w*|is[A-Z]\w*|expect\w*|XCT\w*|should\w*|Equal\w*|NotNil|Nil|Same|Empty)$/;
const STRINGS = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\\n]|\\.)*`/g;
const NUMBERS = /(?<![\w$])\d[\w.]*/g;

/** An assertion line with no identifier beyond the assertion's own words: `expect(1 + 2).toBe(3)`. */
export function isConstantAssertion(line: string): boolean {
  const code = line.replace(STRINGS, " 0 ").replace(/\s(?:\/\/|#).*$/, "").replace(NUMBERS, " 0 ");
  const words = code.match(/[A-Za-z_$][\w$]*/g) ?? [];
  return words.every((w) => VOCABULARY.has(w) || VOCABULARY_SHAPE.test(w));
}

/** A test that calls the service over HTTP or a browser exercises the project without importing it. */
const DRIVES_APP = /\b(?:supertest|request\(\s*app|fetch\(|axios|page\.goto|cy\.(?:visit|request)|http\.(?:Get|Post|NewRequest)|httptest|TestClient|requests\.(?:get|post|put|delete)|httpx|MockMvc|RestAssured|WebTestClient|TestRestTemplate|HttpClient|WebApplicationFactory|Rack::Test|subprocess|exec(?:Sync|File)?\()/;

const JS_LANGUAGES = new Set(["JavaScript", "TypeScript", "TSX", "JSX"]);
const JVM_LANGUAGES = new Set(["Java", "Kotlin", "Scala", "Groovy"]);

/** true / false where the language lets imports be told apart; undefined elsewhere. */
export function importsProjectCode(path: string, text: string, facts: AuditFacts): boolean | undefined {
  const lang = languageOf(path);
  if (lang && JS_LANGUAGES.has(lang)) {
    if (/(?:from\s+|require\(\s*|import\(\s*|import\s+)["'](?:\.{1,2}\/|\/|@\/|~\/|#|src\/|app\/|lib\/)/.test(text)) return true;
    const name = packageName(facts);
    return name !== undefined && new RegExp(`["']${escapeRegex(name)}(?:/|["'])`).test(text);
  }
  if (lang === "Python") {
    if (/^\s*from\s+\./m.test(text)) return true;
    const local = pythonModules(facts);
    for (const m of text.matchAll(/^\s*(?:from|import)\s+([A-Za-z_]\w*)/gm)) if (local.has(m[1]!)) return true;
    return false;
  }
  if (lang === "Go") {
    const dir = dirname(path);
    const siblings = facts.index.match(dir ? `${dir}/*.go` : "*.go");
    if (siblings.some((p) => !p.endsWith("_test.go"))) return true;
    const mod = /^module\s+(\S+)/m.exec(facts.text("go.mod") ?? "")?.[1];
    return mod !== undefined && text.includes(`"${mod}`);
  }
  if (lang && JVM_LANGUAGES.has(lang)) {
    const at = path.indexOf("src/test/");
    if (at === -1 || (at > 0 && path[at - 1] !== "/")) return undefined;
    const root = path.slice(0, at);
    const packages = [/^\s*package\s+([\w.]+)/m.exec(text)?.[1], ...[...text.matchAll(/^\s*import\s+(?:static\s+)?([\w.]+)\.[\w*]+;?\s*$/gm)].map((m) => m[1])];
    return packages.some((pkg) => pkg !== undefined && ["java", "kotlin", "scala", "groovy"].some((l) => hasPrefix(facts.index.paths, `${root}src/main/${l}/${pkg.replace(/\./g, "/")}/`)));
  }
  return undefined;
}

function packageName(facts: AuditFacts): string | undefined {
  try {
    const pkg = JSON.parse(facts.text("package.json") ?? "null") as { name?: unknown } | null;
    return typeof pkg?.name === "string" && pkg.name.length > 0 ? pkg.name : undefined;
  } catch {
    return undefined;
  }
}

/** Names a test could import from the tree: packages, top-level modules and (namespace) folders of Python files. */
function pythonModules(facts: AuditFacts): Set<string> {
  const out = new Set<string>();
  const add = (name: string | undefined) => {
    if (name && !/^(?:tests?|conftest|setup|__init__)$/.test(name)) out.add(name);
  };
  for (const p of facts.index.match(["**/__init__.py", "*.py", "src/*.py", "*/*.py", "src/*/*.py"])) {
    const parts = p.split("/");
    if (p.endsWith("/__init__.py")) add(parts[parts.length - 2]);
    if (parts.length === 1 || (parts.length === 2 && parts[0] === "src")) add(parts[parts.length - 1]!.slice(0, -3));
    else if (parts[0] === "src") add(parts[1]);
    else add(parts[0]);
  }
  return out;
}

/** Whether any path starts with `prefix`; paths are sorted, so a binary search. */
function hasPrefix(paths: readonly string[], prefix: string): boolean {
  let lo = 0;
  let hi = paths.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paths[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < paths.length && paths[lo]!.startsWith(prefix);
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
