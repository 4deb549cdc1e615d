import { parseCargoToml } from "./cargo.js";
import { ManifestError } from "./common.js";
import { parseMixExs } from "./elixir.js";
import { parseGoMod } from "./go.js";
import { parseGradleScript, parseVersionCatalog } from "./gradle.js";
import { parseComposerJson, parsePackageJson } from "./json.js";
import { parsePipfile, parsePyproject, parseRequirementsTxt, parseSetupCfg, parseSetupPy } from "./python.js";
import { parseGemfile } from "./ruby.js";
import { parseSbt } from "./scala.js";
import type { DeclaredDependency } from "./types.js";
import { parseNuget, parsePom } from "./xml.js";

type Parser = (path: string, text: string) => DeclaredDependency[];

const BY_NAME = new Map<string, Parser>([
  ["package.json", parsePackageJson],
  ["composer.json", parseComposerJson],
  ["pyproject.toml", parsePyproject],
  ["Pipfile", parsePipfile],
  ["setup.cfg", parseSetupCfg],
  ["setup.py", parseSetupPy],
  ["pom.xml", parsePom],
  ["go.mod", parseGoMod],
  ["Directory.Packages.props", parseNuget],
  ["Directory.Build.props", parseNuget],
  ["packages.config", parseNuget],
  ["Gemfile", parseGemfile],
  ["gems.rb", parseGemfile],
  ["Cargo.toml", parseCargoToml],
  ["mix.exs", parseMixExs],
]);

const REQUIREMENTS_NAME = /(?:^|[-_.])requirements[\w.-]*\.(?:txt|in)$/;

function parserFor(path: string): Parser | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const exact = BY_NAME.get(base);
  if (exact) return exact;
  const dot = base.lastIndexOf(".");
  if (dot === -1) return undefined;
  switch (base.slice(dot)) {
    case ".csproj":
    case ".fsproj":
    case ".vbproj":
      return parseNuget;
    // Convention plugins and shared scripts (buildSrc/*.gradle.kts, gradle/*.gradle) declare dependencies too.
    case ".gradle":
    case ".kts":
      return base.endsWith(".gradle") || base.endsWith(".gradle.kts") ? parseGradleScript : undefined;
    case ".sbt":
      return parseSbt;
    // A build's dependency values kept in Scala beside it (project/Dependencies.scala).
    case ".scala":
      return path === "project/" + base || path.endsWith("/project/" + base) ? parseSbt : undefined;
    case ".toml":
      return base.endsWith(".versions.toml") ? parseVersionCatalog : undefined;
    case ".txt":
    case ".in":
      // Files in a requirements/ folder (requirements/dev.txt) are pip requirement files whatever their name.
      return REQUIREMENTS_NAME.test(base) || path.startsWith("requirements/") || path.includes("/requirements/")
        ? parseRequirementsTxt
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Every manifest's file name is a key of BY_NAME or ends in one of these extensions
 * (parserFor's cases): the file index looks only at those paths (FileIndex.filterOnce).
 */
export const MANIFEST_POOL = {
  names: [...BY_NAME.keys()],
  extensions: ["csproj", "fsproj", "vbproj", "gradle", "kts", "sbt", "scala", "toml", "txt", "in"],
} as const;

/** True when this path (POSIX, relative to the tree root) is a manifest parseManifest understands. */
export function isManifestPath(path: string): boolean {
  return parserFor(path) !== undefined;
}

/** Dependencies declared by one manifest. Never throws: malformed input yields none and a warning. */
export function parseManifest(path: string, text: string): { dependencies: DeclaredDependency[]; warning?: string } {
  const parser = parserFor(path);
  if (!parser) return { dependencies: [] };
  try {
    return { dependencies: parser(path, text.replace(/^\uFEFF/, "")) };
  } catch (e) {
    const message = e instanceof ManifestError ? e.message : `could not parse manifest: ${String(e)}`;
    return { dependencies: [], warning: message.slice(0, 300) };
  }
}
