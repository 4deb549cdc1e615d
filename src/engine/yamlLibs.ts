import { createRequire } from "node:module";
import type JsYaml from "js-yaml";
import type * as Yaml from "yaml";

/**
 * The two YAML libraries, loaded on first use (as ajv is in loadRules): an audit
 * with the bundled rules and no config file, over a tree without CI workflows or
 * compose files, never parses YAML and should not pay for loading either.
 * `yaml` keeps positions (config, rules, compose); js-yaml is faster for CI files.
 */
const require = createRequire(import.meta.url);

let yamlModule: typeof Yaml | undefined;
let jsYamlModule: typeof JsYaml | undefined;

export function yamlLib(): typeof Yaml {
  return (yamlModule ??= require("yaml") as typeof Yaml);
}

export function jsYaml(): typeof JsYaml {
  return (jsYamlModule ??= require("js-yaml") as typeof JsYaml);
}
