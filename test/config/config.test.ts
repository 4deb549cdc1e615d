import { describe, expect, it } from "vitest";
import { configKeys, ConfigError, MAX_CONFIG_BYTES, mergeConfigs, parseConfig } from "../../src/config/config.js";

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

describe("config size cap", () => {
  it("refuses text over MAX_CONFIG_BYTES before parsing it, counting bytes rather than characters", () => {
    // Not YAML at all: a parse would fail with a syntax error, so the size error proves nothing was parsed.
    const big = `ignore: [${"[".repeat(MAX_CONFIG_BYTES)}`;
    expect(() => parseConfig(big, "f.yml", ids)).toThrow(/^f\.yml: larger than 64 KiB/);
    expect(() => configKeys(big, "f.yml")).toThrow(ConfigError);
    // Under the cap in characters, over it in UTF-8 bytes (é is two).
    const wide = `# ${"é".repeat(MAX_CONFIG_BYTES / 2)}\nthreshold: 1\n`;
    expect(wide.length).toBeLessThan(MAX_CONFIG_BYTES);
    expect(() => parseConfig(wide, "f.yml", ids)).toThrow(/larger than 64 KiB/);
  });

  it("parses a config just under the cap", () => {
    const padded = `threshold: 10\n# ${"x".repeat(MAX_CONFIG_BYTES - 20)}\n`;
    expect(Buffer.byteLength(padded)).toBeLessThanOrEqual(MAX_CONFIG_BYTES);
    expect(parseConfig(padded, "f.yml", ids).threshold).toBe(10);
  });
});

describe("ignore glob limits", () => {
  const problem = (yaml: string): string => {
    try {
      parseConfig(yaml, "f.yml", ids);
    } catch (err) {
      return (err as Error).message;
    }
    return "accepted";
  };

  it("accepts the globs people write", () => {
    for (const g of ["examples/**", "**/fixtures/**", "src/*.test.*", "*.min.{js,css}", "docs/[a-c]*/**", "vendor/\\(legacy\\)/**", "[(]draft[)]/*", "!keep.md"]) {
      expect(problem(`ignore:\n  - ${JSON.stringify(g)}\n`), g).toBe("accepted");
    }
  });

  it("names the key, the glob and its place for each limit", () => {
    expect(problem('ignore: ["*a*a*a*a*a*a*a*a*a*a*a*a*a*b"]\n')).toBe('f.yml:1:10: ignore: glob "*a*a*a*a*a*a*a*a*a*a*a*a*a*b" has 14 "*" wildcards in one path segment (at most 3)');
    expect(problem("ignore:\n  - ok/**\n  - a**b/c\n")).toMatch(/^f\.yml:3:5: ignore: glob "a\*\*b\/c" has "\*\*" inside a path segment/);
    expect(problem('ignore: ["**/a/**/b/**/c"]\n')).toMatch(/glob "\*\*\/a\/\*\*\/b\/\*\*\/c" has more than 2 "\*\*" segments/);
    expect(problem('ignore: ["+(a|aa)"]\n')).toMatch(/glob "\+\(a\|aa\)" has a parenthesis/);
    expect(problem('ignore: ["{a,{b,c}}"]\n')).toMatch(/braces inside braces/);
    expect(problem(`ignore: ["${"x".repeat(257)}"]\n`)).toMatch(/ignore: glob "x{77}\.\.\." is longer than 256 characters/);
    expect(problem(`ignore: [${Array.from({ length: 65 }, (_, i) => `g${i}`).join(", ")}]\n`)).toBe("f.yml:1:9: ignore: 65 globs, at most 64");
  });

  it("quotes a glob with a line break on one line", () => {
    expect(problem('ignore: ["a\\n*b*b*b*b"]\n')).toBe('f.yml:1:10: ignore: glob "a\\n*b*b*b*b" has 4 "*" wildcards in one path segment (at most 3)');
  });
});
