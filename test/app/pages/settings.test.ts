import { describe, expect, it } from "vitest";
import { readPagesSettings } from "../../../src/app/pages/settings.js";

describe("readPagesSettings", () => {
  it("defaults: no public address, ./data, a generous rate, no proxy, github.com", () => {
    expect(readPagesSettings({}, "/srv/app")).toEqual({ publicUrl: undefined, dataDir: "/srv/app/data", ratePerSecond: 50, burst: 200, trustProxy: false, githubUrl: "https://github.com" });
  });

  it("reads the environment, trimming the public address's trailing slash", () => {
    const s = readPagesSettings(
      { SKILLPROOF_PUBLIC_URL: "https://pages.example.org/skillproof/", SKILLPROOF_DATA_DIR: "/var/lib/skillproof", SKILLPROOF_PAGES_RATE: "5", SKILLPROOF_PAGES_BURST: "10", SKILLPROOF_TRUST_PROXY: "1", GHE_HOST: "ghe.example.com" },
      "/srv/app",
    );
    expect(s).toEqual({ publicUrl: "https://pages.example.org/skillproof", dataDir: "/var/lib/skillproof", ratePerSecond: 5, burst: 10, trustProxy: true, githubUrl: "https://ghe.example.com" });
  });

  it("stops on a value it cannot use, naming the variable", () => {
    expect(() => readPagesSettings({ SKILLPROOF_PUBLIC_URL: "javascript:alert(1)" })).toThrow(/SKILLPROOF_PUBLIC_URL/);
    expect(() => readPagesSettings({ SKILLPROOF_PUBLIC_URL: "not a url" })).toThrow(/SKILLPROOF_PUBLIC_URL/);
    expect(() => readPagesSettings({ SKILLPROOF_PUBLIC_URL: "https://x.org/?a=1" })).toThrow(/SKILLPROOF_PUBLIC_URL/);
    expect(() => readPagesSettings({ SKILLPROOF_PAGES_RATE: "-1" })).toThrow(/SKILLPROOF_PAGES_RATE/);
    expect(() => readPagesSettings({ SKILLPROOF_PAGES_BURST: "lots" })).toThrow(/SKILLPROOF_PAGES_BURST/);
  });
});
