import { expect } from "vitest";
import { parseManifest } from "../../../src/engine/manifests/index.js";

/** Parses a fixture that must be well-formed and returns [name, kind, line] triples. */
export function declared(path: string, text: string): Array<[string, string, number | undefined]> {
  const { dependencies, warning } = parseManifest(path, text);
  expect(warning).toBeUndefined();
  for (const d of dependencies) expect(d.path).toBe(path);
  return dependencies.map((d) => [d.name, d.kind, d.line]);
}
