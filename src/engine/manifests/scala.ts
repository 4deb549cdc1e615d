import { Collector, type Kind } from "./common.js";
import type { DeclaredDependency } from "./types.js";

// "group" % "artifact" % version, or %% (the Scala version suffix is added by sbt, so not part of the name),
// then an optional configuration: % Test, % "test", % IntegrationTest, % "it,test".
const MODULE = /"([\w.-]+)"[ \t]*%{1,3}[ \t]*"([\w.-]+)"[ \t]*%[ \t]*(?:"[^"\n]*"|[\w.]+)(?:[ \t]*%[ \t]*("[\w,-]+"|\w+))?/g;
const ADD_PLUGIN = /^[ \t]*addSbtPlugin\(/;
const DEV_CONFIGS = new Set(["test", "it", "integrationtest"]);

/** `Test`, `"test"`, `"it,test"`: configurations that only tests see. */
function devConfig(config: string): boolean {
  return config
    .replace(/"/g, "")
    .toLowerCase()
    .split(",")
    .every((c) => DEV_CONFIGS.has(c.trim()));
}

/**
 * sbt builds: build.sbt, project/plugins.sbt and the Scala files under project/
 * that hold a build's dependency values (project/Dependencies.scala).
 * Names are "group:artifact" as in Maven; `% Test` marks dev, addSbtPlugin a plugin.
 */
export function parseSbt(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("sbt", path);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|[ \t])\/\/.*$/, "");
    if (!line.includes("%")) return;
    const plugin = ADD_PLUGIN.test(line);
    for (const m of line.matchAll(MODULE)) {
      const config = m[3];
      const kind: Kind = plugin ? "plugin" : config && devConfig(config) ? "dev" : "runtime";
      out.add(`${m[1]}:${m[2]}`, kind, i + 1);
    }
  });
  return out.dependencies;
}
