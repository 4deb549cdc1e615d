import { describe, expect, it } from "vitest";
import { renderPortfolioPage, storedRepoAudit, type PortfolioPageLinks } from "../../../src/report/html/portfolioPage.js";
import { creditOf } from "../../../src/recruit/aggregate.js";
import type { AuditedRule } from "../../../src/engine/depth/index.js";
import { COMMIT, storedAudit } from "./fixtures.js";
import { expectWellFormedPage } from "./htmlCheck.js";

const LINKS: PortfolioPageLinks = {
  githubUrl: "https://github.com",
  css: "/assets/skillproof.css",
  repoPage: (owner, repo) => `/r/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`,
  badgeSvg: (owner, repo) => `/badge/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.svg`,
};

const pass = (id: string, path: string): AuditedRule => ({ id, skill: id.split("/")[0]!, title: id, status: "pass", evidence: [{ path, line: 1 }], fix: "f", why: "w" });
const fail = (id: string): AuditedRule => ({ id, skill: id.split("/")[0]!, title: id, status: "fail", evidence: [], fix: "f", why: "w" });
const notApplicable: AuditedRule = { id: "iac/terraform", skill: "iac", title: "terraform", status: "not-applicable", evidence: [], fix: "f", why: "w" };

describe("renderPortfolioPage", () => {
  // Own work: testing only. The fork proves everything, at half credit.
  const own = storedAudit({ repo: "shop", results: [pass("testing/unit", "t.java"), fail("containers/dockerfile"), fail("api/openapi"), notApplicable] });
  const fork = storedAudit({ repo: "bigco-fork", fork: true, results: [pass("testing/unit", "t.java"), pass("containers/dockerfile", "Dockerfile"), pass("api/openapi", "openapi.yaml"), notApplicable] });
  const page = renderPortfolioPage("octo", [fork, own], LINKS);

  it("is a well-formed, accessible page with no inline script or style", () => {
    expectWellFormedPage(page);
    expect(page).not.toContain(" style=");
    expect(page).toContain("<h1>Portfolio of octo</h1>");
    expect(page).toContain('<a href="https://github.com/octo">octo on GitHub</a>');
  });

  it("credits a fork at half, and names the repository that proves each skill", () => {
    expect(creditOf(storedRepoAudit(fork, "octo").attribution)).toBe(0.5);
    expect(creditOf(storedRepoAudit(own, "octo").attribution)).toBe(1);
    expect(page).toMatch(/<th scope="row">Testing<\/th><td>.*value="100".*<\/td><td><a href="\/r\/octo\/shop">octo\/shop<\/a><\/td><\/tr>/);
    expect(page).toMatch(/<th scope="row">Containers<\/th><td>.*value="50".*<\/td><td><a href="\/r\/octo\/bigco-fork">octo\/bigco-fork<\/a> <span class="muted">\(a fork at half credit: 100\/100 there\)<\/span><\/td><\/tr>/);
    expect(page).toMatch(/<th scope="row">Infrastructure as code<\/th><td><span class="muted">n\/a<\/span><\/td><td><span class="muted">no repository has an applicable rule<\/span>/);
    // Skill-weighted (testing 3, containers 1, api 2): (3×100 + 50 + 2×50) / 6.
    expect(page).toContain(`<span class="score band-green">${Math.round((300 + 50 + 100) / 6)}/100</span>`);
    expect(page).toContain("1 of them a fork counted at half credit");
  });

  it("lists each repository, highest score first, with its score, badge and report link", () => {
    const forkAt = page.indexOf('<h3><a href="/r/octo/bigco-fork">octo/bigco-fork</a></h3>');
    const ownAt = page.indexOf('<h3><a href="/r/octo/shop">octo/shop</a></h3>');
    expect(forkAt).toBeGreaterThan(0);
    expect(ownAt).toBeGreaterThan(forkAt);
    expect(page).toContain('<img src="/badge/octo/shop.svg" alt="skillproof badge of octo/shop: 50/100">');
    expect(page).toContain("<strong>fork</strong>, counted at half credit");
    expect(page).toContain(`<a href="https://github.com/octo/shop/commit/${COMMIT}"><code>0123456</code></a>`);
  });

  it("shows the stack across repositories", () => {
    expect(page).toContain("<li>Java 90% <span class=\"muted\">(162 files)</span></li>");
    expect(page).toContain('<li>Spring Boot <span class="muted">(octo/bigco-fork, octo/shop)</span></li>');
  });

  it("escapes hostile names, and is the same page for the same audits in any order", () => {
    const odd = storedAudit({ owner: "<o>", repo: `"><img src=x onerror=alert(1)>` });
    const html = renderPortfolioPage("<o>", [odd], LINKS);
    expectWellFormedPage(html);
    expect(html).toContain("<h1>Portfolio of &lt;o&gt;</h1>");
    expect(html).toContain('<a href="/r/%3Co%3E/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E">&lt;o&gt;/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>');
    expect(html).not.toMatch(/<img src=x/);
    expect(renderPortfolioPage("octo", [own, fork], LINKS)).toBe(page);
  });
});
