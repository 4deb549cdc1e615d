import { Collector, LineFinder, ManifestError, asRecord, isRecord, type Kind } from "./common.js";
import type { DeclaredDependency } from "./types.js";

function parseJson(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(doc)) throw new ManifestError("expected a JSON object");
  return doc;
}

function collectSections(
  out: Collector,
  text: string,
  doc: Record<string, unknown>,
  sections: Array<[string, Kind]>,
  skip: (name: string) => boolean = () => false,
): void {
  const lines = new LineFinder(text);
  for (const [section, kind] of sections) {
    const from = Math.max(0, text.indexOf(`"${section}"`));
    for (const name of Object.keys(asRecord(doc[section]))) {
      if (!skip(name)) out.add(name, kind, lines.find(`"${name}"`, from));
    }
  }
}

export function parsePackageJson(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("npm", path);
  collectSections(out, text, parseJson(text), [
    ["dependencies", "runtime"],
    ["optionalDependencies", "runtime"],
    ["peerDependencies", "runtime"],
    ["devDependencies", "dev"],
  ]);
  return out.dependencies;
}

export function parseComposerJson(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("composer", path);
  // Real packages are vendor/name; php, ext-*, lib-* and composer-*-api are platform requirements.
  const platform = (name: string) => !name.includes("/");
  collectSections(
    out,
    text,
    parseJson(text),
    [
      ["require", "runtime"],
      ["require-dev", "dev"],
    ],
    platform,
  );
  return out.dependencies;
}
