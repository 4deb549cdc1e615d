import { describe, expect, it } from "vitest";
import { checkedHref, repoLinks } from "../../../src/report/html/urls.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("repoLinks", () => {
  it("builds permalinks at the audited commit, each path segment encoded", () => {
    const gh = repoLinks("https://github.com/", "octo", "orders", SHA);
    expect(gh.blob("src/main/App.java", 12)).toBe(`https://github.com/octo/orders/blob/${SHA}/src/main/App.java#L12`);
    expect(gh.blob(`a b/"><img src=x onerror=alert(1)>.js`)).toBe(`https://github.com/octo/orders/blob/${SHA}/a%20b/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.js`);
    expect(gh.blob("x#y?z", 0)).toBe(`https://github.com/octo/orders/blob/${SHA}/x%23y%3Fz`);
    expect(gh.commit(SHA)).toBe(`https://github.com/octo/orders/commit/${SHA}`);
    expect(repoLinks("https://ghe.example/", "o/x", "r", SHA).repo).toBe("https://ghe.example/o%2Fx/r");
  });
});

describe("checkedHref", () => {
  it("passes http(s) URLs and paths", () => {
    for (const url of ["https://x.example/a?b=1&c", "http://x", "/r/o/r", "history.svg"]) expect(checkedHref(url)).toBe(url);
  });

  it("throws on any other scheme, however disguised", () => {
    for (const url of ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "vbscript:x"]) {
      expect(() => checkedHref(url), url).toThrow(/unsafe link/);
    }
  });
});
