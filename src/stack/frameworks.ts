import type { DeclaredDependency } from "../engine/manifests/types.js";
import type { Ecosystem } from "../engine/types.js";

export interface Framework {
  name: string;
  evidence: { path: string; line?: number };
}

/** A framework recognised from one declared dependency, given its normalised name. */
interface DependencyRule {
  name: string;
  ecosystems: readonly Ecosystem[];
  matches: (name: string) => boolean;
}

const JVM: readonly Ecosystem[] = ["maven", "gradle", "sbt"];

/** Group of "group:artifact"; a Gradle plugin id has no colon and counts as its own group. */
function group(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(0, colon);
}

function artifact(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? "" : name.slice(colon + 1);
}

function inGroup(name: string, prefix: string): boolean {
  const g = group(name);
  return g === prefix || g.startsWith(prefix + ".");
}

const is = (...names: string[]) => (name: string) => names.includes(name);

const RULES: readonly DependencyRule[] = [
  { name: "Spring Boot", ecosystems: JVM, matches: (n) => group(n) === "org.springframework.boot" },
  { name: "Quarkus", ecosystems: JVM, matches: (n) => inGroup(n, "io.quarkus") },
  { name: "Micronaut", ecosystems: JVM, matches: (n) => inGroup(n, "io.micronaut") },
  // io.ktor also publishes the HTTP client, which says nothing about the backend.
  { name: "Ktor", ecosystems: JVM, matches: (n) => n === "io.ktor.plugin" || (group(n) === "io.ktor" && artifact(n).startsWith("ktor-server")) },

  // play-json and play-ws are used without Play; the sbt plugin and the server artifacts make a Play app.
  {
    name: "Play",
    ecosystems: JVM,
    matches: (n) =>
      (group(n) === "org.playframework" || group(n) === "com.typesafe.play") &&
      /^(sbt-plugin|play-(guice|server|java|netty-server|akka-http-server|pekko-http-server|filters-helpers))$/.test(artifact(n)),
  },

  { name: "Django", ecosystems: ["pypi"], matches: is("django") },
  { name: "Django REST Framework", ecosystems: ["pypi"], matches: is("djangorestframework") },
  { name: "FastAPI", ecosystems: ["pypi"], matches: is("fastapi") },
  { name: "Flask", ecosystems: ["pypi"], matches: is("flask") },

  { name: "Express", ecosystems: ["npm"], matches: is("express") },
  { name: "NestJS", ecosystems: ["npm"], matches: is("@nestjs/core") },
  { name: "Fastify", ecosystems: ["npm"], matches: is("fastify") },
  { name: "Koa", ecosystems: ["npm"], matches: is("koa") },
  { name: "Hapi", ecosystems: ["npm"], matches: is("@hapi/hapi", "hapi") },
  { name: "Next.js", ecosystems: ["npm"], matches: is("next") },

  { name: "Gin", ecosystems: ["go"], matches: is("github.com/gin-gonic/gin") },
  { name: "Echo", ecosystems: ["go"], matches: is("github.com/labstack/echo") },
  { name: "Fiber", ecosystems: ["go"], matches: is("github.com/gofiber/fiber") },
  { name: "Chi", ecosystems: ["go"], matches: is("github.com/go-chi/chi") },

  // Client packages (SignalR.Client, Blazor WebAssembly) run in a browser or another app, not a server.
  {
    name: "ASP.NET Core",
    ecosystems: ["nuget"],
    matches: (n) =>
      n.startsWith("microsoft.aspnetcore.") &&
      !/\.client(\.|$)/.test(n) &&
      !(n.startsWith("microsoft.aspnetcore.components.webassembly") && !n.endsWith(".server")),
  },

  { name: "Rails", ecosystems: ["rubygems"], matches: is("rails", "railties") },
  { name: "Sinatra", ecosystems: ["rubygems"], matches: is("sinatra") },

  { name: "Laravel", ecosystems: ["composer"], matches: is("laravel/framework") },
  { name: "Symfony", ecosystems: ["composer"], matches: is("symfony/framework-bundle") },

  { name: "Actix Web", ecosystems: ["cargo"], matches: is("actix-web") },
  { name: "Axum", ecosystems: ["cargo"], matches: is("axum") },
  { name: "Rocket", ecosystems: ["cargo"], matches: is("rocket") },

  { name: "Phoenix", ecosystems: ["hex"], matches: is("phoenix") },
];

/** Every framework the detector can name, from manifests or from file layouts. */
export const FRAMEWORK_NAMES: readonly string[] = [...new Set(RULES.map((r) => r.name))];

/** Registry spelling rules: PyPI per PEP 503, crates.io treats - and _ alike, Go ignores the major-version suffix. */
function normalise(ecosystem: Ecosystem, name: string): string {
  const lower = name.toLowerCase();
  switch (ecosystem) {
    case "pypi":
      return lower.replace(/[-_.]+/g, "-");
    case "cargo":
      return lower.replace(/_/g, "-");
    case "go":
      return lower.replace(/\/v\d+$/, "");
    default:
      return lower;
  }
}

/**
 * File layouts that only one framework produces, for trees whose manifests do
 * not name the framework (say, a Django app without a requirements file).
 */
function fromConventions(paths: readonly string[]): Framework[] {
  const exists = lookup(paths);
  const found: Framework[] = [];
  const add = (name: string, path: string) => {
    if (!found.some((f) => f.name === name)) found.push({ name, evidence: { path } });
  };
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const dir = path.slice(0, slash + 1);
    const base = path.slice(slash + 1);
    switch (base) {
      case "manage.py":
        // Flask-Script projects also had a manage.py; Django's sits next to <project>/settings.py.
        if (hasDjangoSettings(paths, dir)) add("Django", path);
        break;
      case "artisan":
        if (exists(`${dir}bootstrap/app.php`)) add("Laravel", path);
        break;
      case "rails":
        if ((dir === "bin/" || dir.endsWith("/bin/")) && exists(`${dir.slice(0, -4)}config/routes.rb`)) add("Rails", path);
        break;
      case "next.config.js":
      case "next.config.mjs":
      case "next.config.cjs":
      case "next.config.ts":
        add("Next.js", path);
        break;
      case "nest-cli.json":
        add("NestJS", path);
        break;
    }
  }
  return found;
}

/** Django keeps its settings one level below manage.py: <project>/settings.py or <project>/settings/*.py. */
function hasDjangoSettings(paths: readonly string[], dir: string): boolean {
  return paths.some((p) => {
    if (!p.startsWith(dir)) return false;
    const parts = p.slice(dir.length).split("/");
    return (parts.length === 2 && parts[1] === "settings.py") || (parts.length === 3 && parts[1] === "settings" && p.endsWith(".py"));
  });
}

/**
 * Frameworks from declared dependencies, then from a few unmistakable file
 * layouts. Each framework appears once, with its first declaration as evidence.
 * Dev dependencies are ignored: an Express mock server in devDependencies does
 * not make the project an Express app.
 */
export function detectFrameworks(deps: readonly DeclaredDependency[], paths: readonly string[]): Framework[] {
  const found = new Map<string, Framework>();
  for (const dep of deps) {
    if (dep.kind === "dev") continue;
    const name = normalise(dep.ecosystem, dep.name);
    for (const rule of RULES) {
      if (found.has(rule.name) || !rule.ecosystems.includes(dep.ecosystem) || !rule.matches(name)) continue;
      const evidence = dep.line === undefined ? { path: dep.path } : { path: dep.path, line: dep.line };
      found.set(rule.name, { name: rule.name, evidence });
    }
  }
  for (const framework of fromConventions(paths)) {
    if (!found.has(framework.name)) found.set(framework.name, framework);
  }
  return [...found.values()];
}

/**
 * A membership test for a path list. The audit's list is sorted, so a binary
 * search needs no second copy of 90,000 paths; other lists get a Set, built
 * only when a candidate file turns up.
 */
function lookup(paths: readonly string[]): (path: string) => boolean {
  let sorted = true;
  for (let i = 1; i < paths.length && sorted; i++) if (paths[i - 1]! > paths[i]!) sorted = false;
  if (!sorted) {
    let set: Set<string> | undefined;
    return (path) => (set ??= new Set(paths)).has(path);
  }
  return (path) => {
    let lo = 0;
    let hi = paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (paths[mid]! < path) lo = mid + 1;
      else hi = mid;
    }
    return lo < paths.length && paths[lo] === path;
  };
}
