import { describe, expect, it } from "vitest";
import { configKeys, ConfigError, mergeConfigs, parseConfig } from "../../src/config/config.js";

const ids = ["containers/dockerfile", "containers/multi-stage", "docs/readme"];

describe("parseConfig", () => {
  it("reads ignore, disable, weights and threshold", () => {
    const cfg = parseConfig("ignore: [examples/**]\ndisable: [docs/readme]\nweights:\n  containers/dockerfile: 3\nthreshold: 60\n", "f.yml", ids);
    expect(cfg).toEqual({ source: "f.yml", ignore: ["examples/**"], disable: ["docs/readme"], weights: { "containers/dockerfile": 3 }, threshold: 60, issue: true });
  });

  it("treats an empty file as defaults", () => {
    expect(parseConfig("", "f.yml", ids)).toMatchObject({ ignore: [], disable: [], weights: {} });
  });

  it("names file, line and column of a YAML syntax error", () => {
    const err = (() => {
      try {
        parseConfig("disable: [docs/readme\nthreshold: 3\n", ".github/skillproof.yml", ids);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toMatch(/^\.github\/skillproof\.yml:\d+:\d+: YAML syntax error/);
  });

  it("suggests the closest id for an unknown rule id, with its line", () => {
    expect(() => parseConfig("disable:\n  - containers/multistage\n", "c.yml", ids)).toThrow(
      'c.yml:2:5: disable: unknown rule id "containers/multistage" (did you mean "containers/multi-stage"?)',
    );
    expect(() => parseConfig("weights:\n  docs/readm: 2\n", "c.yml", ids)).toThrow(/c\.yml:2:3: weights: unknown rule id "docs\/readm" \(did you mean "docs\/readme"\?\)/);
  });

  it("rejects schema violations with their place", () => {
    expect(() => parseConfig("threshold: 150\n", "c.yml", ids)).toThrow(/c\.yml:1:12: threshold: must be <= 100/);
    expect(() => parseConfig("colour: red\n", "c.yml", ids)).toThrow(/unknown property "colour"/);
    expect(() => parseConfig("weights:\n  docs/readme: 0\n", "c.yml", ids)).toThrow(/weights\.docs\/readme: must be > 0/);
  });
});

describe("mergeConfigs (_extends)", () => {
  it("lets local keys win and merges weights", () => {
    const base = parseConfig("ignore: [a/**]\nthreshold: 50\nweights:\n  docs/readme: 2\n", "base.yml", ids);
    const localText = "_extends: org/.github\nthreshold: 70\nweights:\n  containers/dockerfile: 3\n";
    const local = parseConfig(localText, "local.yml", ids);
    expect(local.extends).toBe("org/.github");
    expect(mergeConfigs(base, local, configKeys(localText))).toEqual({
      source: "local.yml (extends base.yml)",
      ignore: ["a/**"],
      disable: [],
      weights: { "docs/readme": 2, "containers/dockerfile": 3 },
      threshold: 70,
      issue: true,
    });
  });
});
