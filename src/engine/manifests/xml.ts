import { createRequire } from "node:module";
import type * as FastXmlParser from "fast-xml-parser";
import { Collector, LineFinder, ManifestError, asArray, asString, at, isRecord, type Kind } from "./common.js";
import type { DeclaredDependency } from "./types.js";

// Loaded on first use: most trees have no XML manifest, and start-up time counts.
let fxp: typeof FastXmlParser | undefined;
let META: symbol;
function parser(): typeof FastXmlParser {
  if (!fxp) {
    fxp = createRequire(import.meta.url)("fast-xml-parser") as typeof FastXmlParser;
    // Typed as the `Symbol` wrapper upstream; it is a plain symbol at runtime.
    META = fxp.XMLParser.getMetaDataSymbol() as unknown as symbol;
  }
  return fxp;
}

function parseXml(text: string, options: ConstructorParameters<typeof FastXmlParser.XMLParser>[0]): Record<string, unknown> {
  const { XMLParser, XMLValidator } = parser();
  // The parser quietly accepts broken XML, so validate first to report it.
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ManifestError(`invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
  const doc: unknown = new XMLParser({ ...options, captureMetaData: true, processEntities: false }).parse(text);
  return isRecord(doc) ? doc : {};
}

/** Start offset of an element, recorded by captureMetaData. */
function startOf(node: unknown): number | undefined {
  if (!isRecord(node)) return undefined;
  const meta = (node as Record<symbol, unknown>)[META];
  return isRecord(meta) && typeof meta.startIndex === "number" ? meta.startIndex : undefined;
}

export function parsePom(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("maven", path);
  const lines = new LineFinder(text);
  const project = at(parseXml(text, { ignoreAttributes: true, parseTagValue: false }), "project");

  const add = (node: unknown, kind: Kind | "scoped", defaultGroup?: string) => {
    const artifact = asString(at(node, "artifactId"));
    if (!artifact) return;
    const group = asString(at(node, "groupId")) ?? defaultGroup;
    const resolved = kind === "scoped" ? (asString(at(node, "scope")) === "test" ? "dev" : "runtime") : kind;
    // Point at the artifactId line inside this element; fall back to a search if offsets are missing.
    const start = startOf(node);
    const tag = start === undefined ? -1 : text.indexOf("<artifactId", start);
    const line = tag === -1 ? lines.find(artifact) : lines.lineAt(tag);
    out.add(group ? `${group}:${artifact}` : artifact, resolved, line);
  };
  const dependencies = (scope: unknown) => {
    for (const d of asArray(at(scope, "dependencies", "dependency"))) add(d, "scoped");
    for (const d of asArray(at(scope, "dependencyManagement", "dependencies", "dependency"))) add(d, "scoped");
  };
  const plugins = (build: unknown) => {
    for (const p of asArray(at(build, "plugins", "plugin"))) add(p, "plugin", "org.apache.maven.plugins");
    for (const p of asArray(at(build, "pluginManagement", "plugins", "plugin"))) add(p, "plugin", "org.apache.maven.plugins");
  };

  // A parent such as spring-boot-starter-parent is how many projects adopt a framework.
  add(at(project, "parent"), "runtime");
  dependencies(project);
  plugins(at(project, "build"));
  plugins(at(project, "reporting"));
  for (const profile of asArray(at(project, "profiles", "profile"))) {
    dependencies(profile);
    plugins(at(profile, "build"));
  }
  return out.dependencies;
}

const NUGET_ELEMENTS = new Set(["PackageReference", "PackageVersion", "GlobalPackageReference", "package"]);

/** SDK-style and legacy .NET projects, central package management props, and packages.config. */
export function parseNuget(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("nuget", path);
  const lines = new LineFinder(text);
  const doc = parseXml(text, { ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, parseAttributeValue: false });

  // ItemGroups nest under Choose/When and may repeat, so walk the whole tree.
  const walk = (node: unknown, tag: string) => {
    for (const item of asArray(node)) {
      if (!isRecord(item)) continue;
      if (NUGET_ELEMENTS.has(tag)) {
        const name = asString(tag === "package" ? item["@_id"] : (item["@_Include"] ?? item["@_Update"]));
        const start = startOf(item);
        const line = start === undefined ? lines.find(`"${name}"`) : lines.lineAt(start);
        // MSBuild allows several packages in one Include ("A;B").
        for (const n of (name ?? "").split(";")) out.add(n, "runtime", line);
      }
      for (const [key, child] of Object.entries(item)) if (!key.startsWith("@_")) walk(child, key);
    }
  };
  walk(doc, "");
  return out.dependencies;
}
