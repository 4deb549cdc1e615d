/**
 * Inputs for the engine micro-benchmarks, generated (never fetched) so the
 * suite runs on a fresh clone and gives the same inputs every run: a seeded
 * PRNG, no Math.random.
 *
 * The big listing is shaped like apache/netbeans, the repository `npm run
 * bench` audits: ~90,000 paths, mostly 8–11 segments deep, Java first
 * (~40%), then XML, PHP, golden-file test data, properties, images, plus the
 * other stacks a monorepo collects (TypeScript packages with node_modules and
 * dist, Python and Gradle services, Go tools) and the root files rules look at.
 */
import type { FileEntry } from "../src/sources/source.js";

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const WORDS = [
  "api", "core", "editor", "lexer", "parser", "model", "project", "index", "search", "refactoring",
  "debugger", "hints", "completion", "navigation", "format", "spi", "impl", "ui", "options", "wizard",
  "server", "client", "cache", "queue", "metrics", "tracing", "deploy", "config", "schema", "migration",
  "openapi", "grpc", "websocket", "auth", "session", "storage", "repository", "service", "handler", "util",
];
const CLASS_PARTS = ["Abstract", "Default", "Node", "Factory", "Provider", "Support", "Manager", "Action", "Panel", "Visitor", "Resolver", "Builder", "Query", "Task", "Listener", "Handler"];

const className = (r: Rand): string => `${pick(r, CLASS_PARTS)}${pick(r, WORDS).replace(/^./, (c) => c.toUpperCase())}${pick(r, CLASS_PARTS)}`;

/** One module of the big monorepo: the files under `root`. */
function javaModule(r: Rand, root: string, out: string[]): void {
  const pkg = `src/org/acme/${root.split("/").join("/").replace(/[.-]/g, "/")}`;
  out.push(`${root}/build.xml`, `${root}/manifest.mf`, `${root}/nbproject/project.properties`, `${root}/nbproject/project.xml`);
  const packages = int(r, 2, 9);
  for (let p = 0; p < packages; p++) {
    const dir = `${root}/${pkg}/${pick(r, WORDS)}${p === 0 ? "" : `/${pick(r, WORDS)}`}`;
    const classes = int(r, 3, 24);
    for (let c = 0; c < classes; c++) out.push(`${dir}/${className(r)}.java`);
    out.push(`${dir}/Bundle.properties`);
    if (r() < 0.3) out.push(`${dir}/${className(r)}.form`);
    if (r() < 0.4) for (let i = int(r, 1, 6); i > 0; i--) out.push(`${dir}/resources/${pick(r, WORDS)}${i}.${pick(r, ["png", "png", "gif", "svg"])}`);
    if (r() < 0.6) out.push(`${dir}/${pick(r, WORDS)}-layer.xml`, `${dir}/${pick(r, WORDS)}.xsd`, `${dir}/${pick(r, WORDS)}-config.xml`);
  }
  // Unit tests and their golden files (the netbeans test data that inflates the listing).
  const testPkg = `${root}/test/unit/src/org/acme/${pick(r, WORDS)}`;
  for (let t = int(r, 2, 25); t > 0; t--) out.push(`${testPkg}/${className(r)}Test.java`);
  if (r() < 0.6) {
    const data = `${root}/test/unit/data/goldenfiles/org/acme/${pick(r, WORDS)}`;
    for (let t = int(r, 5, 60); t > 0; t--) {
      const base = `${data}/testcase${t}`;
      out.push(`${base}.${pick(r, ["pass", "pass", "completion", "occurrences", "formatted", "hints", "indented"])}`);
    }
  }
  if (r() < 0.08) for (let t = int(r, 3, 30); t > 0; t--) out.push(`${root}/test/unit/testdata/sample${t}.${pick(r, ["java", "xml", "txt"])}`);
  if (r() < 0.05) for (let t = int(r, 2, 20); t > 0; t--) out.push(`${root}/external/third_party/${pick(r, WORDS)}-${t}.jar`);
}

function phpModule(r: Rand, root: string, out: string[]): void {
  out.push(`${root}/build.xml`, `${root}/manifest.mf`, `${root}/nbproject/project.properties`);
  for (let p = int(r, 2, 6); p > 0; p--) {
    const dir = `${root}/src/org/acme/php/${pick(r, WORDS)}/${pick(r, WORDS)}`;
    for (let c = int(r, 4, 20); c > 0; c--) out.push(`${dir}/${className(r)}.java`);
  }
  const data = `${root}/test/unit/data/testfiles/${pick(r, WORDS)}`;
  for (let t = int(r, 20, 160); t > 0; t--) {
    const name = `${data}/${pick(r, WORDS)}_${t}`;
    out.push(`${name}.php`);
    if (r() < 0.7) out.push(`${name}.php.${pick(r, ["occurrences", "completion", "errors", "semantic", "structure"])}`);
  }
  if (r() < 0.2) for (let v = int(r, 10, 80); v > 0; v--) out.push(`${root}/vendor/${pick(r, WORDS)}/${pick(r, WORDS)}/src/${className(r)}.php`);
}

function webPackage(r: Rand, root: string, out: string[]): void {
  out.push(`${root}/package.json`, `${root}/tsconfig.json`, `${root}/README.md`, `${root}/.eslintrc.json`);
  for (let p = int(r, 3, 10); p > 0; p--) {
    const dir = `${root}/src/${pick(r, WORDS)}/${pick(r, WORDS)}`;
    for (let c = int(r, 3, 15); c > 0; c--) {
      const name = pick(r, WORDS) + c;
      const ext = pick(r, ["ts", "ts", "tsx", "js", "css", "html"]);
      out.push(`${dir}/${name}.${ext}`);
      if ((ext === "ts" || ext === "tsx") && r() < 0.5) out.push(`${dir}/${name}.test.${ext}`);
    }
  }
  // Vendored and generated trees: listed, never evidence.
  if (r() < 0.5) {
    for (let d = int(r, 20, 120); d > 0; d--) {
      const dep = `${root}/node_modules/${pick(r, ["@types/", "@babel/", ""])}${pick(r, WORDS)}-${d}`;
      out.push(`${dep}/package.json`, `${dep}/index.js`, `${dep}/README.md`);
      if (r() < 0.3) out.push(`${dep}/dist/${pick(r, WORDS)}.min.js`, `${dep}/Dockerfile`);
    }
  }
  if (r() < 0.4) for (let d = int(r, 5, 30); d > 0; d--) out.push(`${root}/dist/assets/${pick(r, WORDS)}-${d}.${pick(r, ["js", "js.map", "css"])}`);
  if (r() < 0.3) out.push(`${root}/static/js/jquery-3.7.1.min.js`);
}

function pythonService(r: Rand, root: string, out: string[]): void {
  const pkg = pick(r, WORDS);
  out.push(`${root}/pyproject.toml`, `${root}/Dockerfile`, `${root}/README.md`, `${root}/requirements-dev.txt`);
  for (let m = int(r, 5, 30); m > 0; m--) out.push(`${root}/src/${pkg}/${pick(r, WORDS)}_${m}.py`);
  out.push(`${root}/src/${pkg}/__init__.py`);
  for (let t = int(r, 3, 20); t > 0; t--) out.push(`${root}/tests/test_${pick(r, WORDS)}_${t}.py`);
  if (r() < 0.5) out.push(`${root}/alembic/env.py`, `${root}/alembic/versions/0001_init.py`, `${root}/alembic/versions/0002_${pick(r, WORDS)}.py`);
  if (r() < 0.3) for (let v = int(r, 20, 100); v > 0; v--) out.push(`${root}/.venv/lib/python3.12/site-packages/${pick(r, WORDS)}/${pick(r, WORDS)}${v}.py`);
}

function gradleService(r: Rand, root: string, out: string[]): void {
  out.push(`${root}/build.gradle.kts`, `${root}/Dockerfile`);
  const pkg = `${root}/src/main/kotlin/com/acme/${pick(r, WORDS)}`;
  for (let c = int(r, 5, 25); c > 0; c--) out.push(`${pkg}/${className(r)}.kt`);
  out.push(`${root}/src/main/resources/application.yml`, `${root}/src/main/resources/db/migration/V1__init.sql`);
  for (let t = int(r, 3, 15); t > 0; t--) out.push(`${root}/src/test/kotlin/com/acme/${className(r)}Test.kt`);
  if (r() < 0.5) for (let b = int(r, 10, 60); b > 0; b--) out.push(`${root}/build/classes/kotlin/main/com/acme/${className(r)}.class`);
}

function goTool(r: Rand, root: string, out: string[]): void {
  out.push(`${root}/go.mod`, `${root}/go.sum`, `${root}/Makefile`);
  for (let f = int(r, 3, 15); f > 0; f--) {
    const name = `${root}/${pick(r, ["cmd", "internal", "pkg"])}/${pick(r, WORDS)}/${pick(r, WORDS)}${f}`;
    out.push(`${name}.go`);
    if (r() < 0.5) out.push(`${name}_test.go`);
  }
}

const ROOT_FILES = [
  "README.md", "LICENSE", "NOTICE", "CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md", ".gitignore", ".gitattributes",
  ".editorconfig", "build.xml", "Dockerfile", "docker-compose.yml", "settings.gradle.kts", "gradle/libs.versions.toml",
  "package.json", "package-lock.json", ".github/CODEOWNERS", ".github/dependabot.yml", ".github/pull_request_template.md",
  ".github/ISSUE_TEMPLATE/bug_report.md", ".github/workflows/main.yml", ".github/workflows/codeql.yml", ".github/workflows/release.yml",
  "docs/architecture.md", "docs/adr/0001-record-architecture-decisions.md", "docs/openapi.yaml", "k8s/deployment.yaml",
  "k8s/service.yaml", "k8s/hpa.yaml", "terraform/main.tf", "terraform/variables.tf", "db/migrations/V1__init.sql",
  "prometheus/alerts.yml", "grafana/dashboards/service.json", ".pre-commit-config.yaml", "sonar-project.properties",
];

const CLUSTERS: ReadonlyArray<{ name: string; share: number; make: (r: Rand, root: string, out: string[]) => void }> = [
  { name: "ide", share: 0.2, make: javaModule },
  { name: "java", share: 0.19, make: javaModule },
  { name: "enterprise", share: 0.14, make: javaModule },
  { name: "platform", share: 0.08, make: javaModule },
  { name: "php", share: 0.2, make: phpModule },
  { name: "webcommon", share: 0.09, make: webPackage },
  { name: "services", share: 0.04, make: pythonService },
  { name: "backend", share: 0.03, make: gradleService },
  { name: "tools", share: 0.03, make: goTool },
];

const cache = new Map<number, string[]>();

/** A sorted (git order) monorepo listing of about `target` paths. */
export function monorepoPaths(target = 90_000, seed = 9): string[] {
  const cached = cache.get(target);
  if (cached) return cached;
  const r = prng(seed);
  const out = new Set<string>(ROOT_FILES);
  for (const cluster of CLUSTERS) {
    const want = out.size + cluster.share * target;
    for (let m = 0; out.size < want; m++) {
      const files: string[] = [];
      cluster.make(r, `${cluster.name}/${pick(r, WORDS)}.${pick(r, WORDS)}${m}`, files);
      for (const f of files) out.add(f);
    }
  }
  const sorted = [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  cache.set(target, sorted);
  return sorted;
}

export const entries = (paths: readonly string[]): FileEntry[] => paths.map((path) => ({ path, size: 1000 }));

/** Every include/exclude pair the rules hold (files and content matchers, fix conditions), as the engine asks FileIndex. */
export function ruleGlobs(rules: unknown): Array<{ include: string | string[]; exclude?: string | string[] }> {
  const out: Array<{ include: string | string[]; exclude?: string | string[] }> = [];
  const seen = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if ((typeof o.include === "string" || Array.isArray(o.include)) && !("examples" in o)) {
        const pair = { include: o.include as string | string[], ...(o.exclude ? { exclude: o.exclude as string | string[] } : {}) };
        const key = JSON.stringify(pair);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(pair);
        }
      }
      for (const [k, v] of Object.entries(o)) if (k !== "examples") walk(v);
    }
  };
  walk(rules);
  return out;
}
