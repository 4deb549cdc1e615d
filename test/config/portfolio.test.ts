import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, mergeConfigs, parseConfig } from "../../src/config/config.js";

describe("config: portfolio.maxRepos", () => {
  it("is read, and merged under _extends like any key", () => {
    const local = parseConfig("portfolio:\n  maxRepos: 8\n", "a.yml", []);
    expect(local.portfolio).toEqual({ maxRepos: 8 });
    expect(parseConfig("threshold: 50\n", "b.yml", []).portfolio).toBeUndefined();
    const base = { ...DEFAULT_CONFIG, source: "base.yml", portfolio: { maxRepos: 3 } };
    expect(mergeConfigs(base, local, new Set(["portfolio"])).portfolio).toEqual({ maxRepos: 8 });
    expect(mergeConfigs(base, { ...DEFAULT_CONFIG, source: "c.yml" }, new Set()).portfolio).toEqual({ maxRepos: 3 });
  });

  it("rejects values outside 1-20 and unknown keys, with their line", () => {
    expect(() => parseConfig("portfolio:\n  maxRepos: 50\n", "a.yml", [])).toThrow(ConfigError);
    expect(() => parseConfig("portfolio:\n  maxRepos: 0\n", "a.yml", [])).toThrow(ConfigError);
    expect(() => parseConfig("portfolio:\n  repos: 5\n", "a.yml", [])).toThrow(/a\.yml:2/);
  });
});
