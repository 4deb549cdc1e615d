import { describe, expect, it } from "vitest";
import type { AuditedRule } from "../../../src/engine/depth/index.js";
import { EVIDENCE_SHOWN, renderReportPage, SNIPPET_MAX } from "../../../src/report/html/reportPage.js";
import { COMMIT, history, LINKS, results, storedAudit } from "./fixtures.js";
import { expectWellFormedPage } from "./htmlCheck.js";

const BLOB = `https://github.com/octo/orders/blob/${COMMIT}`;

describe("renderReportPage", () => {
  const audit = storedAudit();
  const page = renderReportPage(audit, history(14), LINKS);

  it("is a well-formed, accessible page with no inline script or style", () => {
    expectWellFormedPage(page);
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<style");
    expect(page).not.toContain(" style=");
    expect(page).toContain("<title>octo/orders: 63/100 · skillproof report</title>");
    expect(page).toContain('<nav aria-label="Related pages"><ul><li><a href="/u/octo">All audited repositories of octo</a></li></ul></nav>');
  });

  it("shows the score on its colour band and each skill as a named meter with its value", () => {
    expect(audit.report.score).toBe(63);
    expect(page).toContain('<span class="score band-yellowgreen">63/100</span>');
    expect(page).toContain("Overall score · 4 of 6 applicable rules passed");
    for (const s of audit.report.skills) {
      expect(page).toContain(`<th scope="row">${s.title}</th>`);
      if (s.score !== null) expect(page).toContain(`value="${s.score}" aria-label="${s.title}: ${s.score} out of 100">`);
    }
    expect(page).toMatch(/<th scope="row">Infrastructure as code<\/th><td><span class="muted">n\/a<\/span>/);
  });

  it("links evidence to the file and line at the audited commit, with its snippet and depth", () => {
    expect(page).toContain(`<a href="${BLOB}/src/test/java/com/acme/OrderServiceTest.java#L12"><code>src/test/java/com/acme/OrderServiceTest.java:12</code></a> <code class="snippet">@Test void placesAnOrder() {</code>`);
    expect(page).toContain(`href="${BLOB}/src/test/java/com/acme/Order%20Repo%20Test.java#L3"`);
    expect(page).toContain("<p>143 test files, test-to-source ratio 0.41</p>");
    expect(page).toContain('<span class="status status-token">Token evidence:</span> <strong>integration tests</strong>');
    expect(page).toContain("one test class uses <code>@SpringBootTest</code>.");
    expect(page).toContain("0.25 of 1 points");
    expect(page).toContain(`(declared in <a href="${BLOB}/pom.xml#L21"><code>pom.xml:21</code></a>)`);
  });

  it("gives a failed rule its fix, what it is for and the general fix", () => {
    expect(page).toContain('<span class="status status-fail">Failed:</span> <strong>coverage gate</strong>');
    expect(page).toContain("<strong>Fix (for Maven):</strong> Add the JaCoCo plugin with a <code>check</code> goal and a minimum ratio.");
    expect(page).toContain("In general: Fail the build below a coverage threshold.");
    expect(page).toContain(`<p>Found:</p><ul class="evidence"><li><a href="${BLOB}/Dockerfile#L9"><code>Dockerfile:9</code></a> <code class="snippet">USER root</code>`);
    expect(page).toContain('<span class="status status-na">Not applicable:</span> terraform; terraform tests <span class="muted">(needs <code>iac/terraform</code>)</span>');
  });

  it("shows the stack, when and at which commit it was audited, and the report's notes and warnings", () => {
    expect(page).toContain("<li>Java 81% <span class=\"muted\">(81 files)</span></li>");
    expect(page).toContain(`at commit <a href="https://github.com/octo/orders/commit/${COMMIT}"><code>0123456</code></a>`);
    expect(page).toContain('<time datetime="2026-11-30T10:15:30.000Z">2026-11-30 10:15 UTC</time>');
    expect(page).toContain("<li>pom.xml: could not parse a &lt;dependency&gt; block</li>");
    expect(page).toContain("<li>Rules disabled by the config: none</li>");
  });

  it("charts the history and lists its latest points, newest first", () => {
    expect(page).toContain('<img src="/r/octo/orders/history.svg" alt="Chart of octo/orders&#39;s score over 14 audits, from 40 to 53; the table lists the latest.">');
    const rows = [...page.matchAll(/<tr><td><a href="https:\/\/github\.com\/octo\/orders\/commit\/(\w+)"><code>(\w+)<\/code><\/a><\/td><td><time datetime="([^"]+)">[^<]+<\/time><\/td><td class="num">(\d+)<\/td><\/tr>/g)];
    expect(rows.map((r) => [r[2], r[4]])).toEqual(Array.from({ length: 10 }, (_, i) => [`${String(13 - i).padStart(2, "0")}aaaaa`, String(53 - i)]));
    expect(rows[0]![3]).toBe("2026-11-14T12:00:00.000Z");
    expect(renderReportPage(audit, [], LINKS)).toContain("No history yet");
  });

  it("offers the badge as Markdown to copy, linking to this page", () => {
    expect(page).toContain("<pre><code>[![skillproof](https://skillproof.example/badge/octo/orders.svg)](https://skillproof.example/r/octo/orders)</code></pre>");
    expect(page).toContain("https://img.shields.io/endpoint?url=https%3A%2F%2Fskillproof.example%2Fbadge%2Focto%2Forders.json");
    expect(page).toContain('<img src="https://skillproof.example/badge/octo/orders.svg" alt="skillproof badge: 63/100">');
  });

  it("shows the role fit when the report has one", () => {
    const withRole = storedAudit();
    withRole.report.role = {
      id: "java-backend",
      title: "Java backend <engineer>",
      summary: "Spring services",
      fit: 71,
      stack: [
        { name: "Spring Boot", required: true, present: true, evidence: { path: "pom.xml", line: 21 } },
        { name: "Kafka", required: false, present: false, evidence: null },
      ],
      gaps: [{ ruleId: "testing/coverage-gate", title: "Coverage gate", gain: 6, fix: "Add `jacoco`.", fixFor: "Maven" }],
    };
    const html = renderReportPage(withRole, [], LINKS);
    expectWellFormedPage(html);
    expect(html).toContain("<h2>Role fit: Java backend &lt;engineer&gt;</h2>");
    expect(html).toContain('<span class="score band-yellowgreen">71/100</span>');
    expect(html).toContain(`<li>Spring Boot, required: <span class="status status-pass">found</span> (<a href="${BLOB}/pom.xml#L21"><code>pom.xml:21</code></a>)</li>`);
    expect(html).toContain('<li>Kafka, preferred: <span class="status status-fail">missing</span></li>');
    expect(html).toContain("<li><strong>Coverage gate</strong> (+6): for Maven, Add <code>jacoco</code>.</li>");
  });

  it("is the same page for the same audit", () => {
    expect(renderReportPage(storedAudit(), history(14), LINKS)).toBe(page);
  });
});

describe("renderReportPage with hostile repository content", () => {
  const hostilePath = `"><img src=x onerror=alert(1)>.js`;
  const hostileTitle = "</code><script>alert(1)</script>";
  const hostile: AuditedRule = {
    id: "api/hostile",
    skill: "api",
    title: hostileTitle,
    status: "pass",
    summary: "<b>bold</b>",
    why: "w",
    fix: "f",
    evidence: [
      { path: hostilePath, line: 2, snippet: `</code><script>alert(1)</script>${"x".repeat(400)}` },
      ...Array.from({ length: 14 }, (_, i) => ({ path: `src/f${i}.ts`, line: i + 1 })),
    ],
  };
  const audit = storedAudit({ owner: "o'wner", repo: "r&d", results: results([hostile]), warnings: ["<img src=x onerror=alert(1)>", "bidi \u202eevil"] });
  audit.report.stack.frameworks.push({ name: `<svg onload=alert(1)>`, evidence: { path: "a/<b>/c.json" } });
  const page = renderReportPage(audit, [], LINKS);

  it("shows names, titles, snippets and warnings as literal text", () => {
    expectWellFormedPage(page);
    expect(page).not.toMatch(/<(img|script|svg|b)[ >][^>]*(onerror|onload|alert)/);
    expect(page).not.toContain("<b>bold</b>");
    expect(page).toContain("<strong>&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;</strong>");
    expect(page).toContain("<code>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.js:2</code>");
    expect(page).toContain('<code class="snippet">&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;xxx');
    expect(page).toContain("<li>&lt;img src=x onerror=alert(1)&gt;</li>");
    expect(page).toContain("<li>bidi \ufffdevil</li>");
    expect(page).toContain("<h1>o&#39;wner/r&amp;d</h1>");
    expect(page).toContain("&lt;svg onload=alert(1)&gt;");
  });

  it("encodes them in links", () => {
    const base = `https://github.com/o'wner/r%26d`.replace("'", "%27");
    expect(page).toContain(`<a href="${base}/blob/${COMMIT}/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.js#L2">`);
    expect(page).toContain(`<a href="${base}/blob/${COMMIT}/a/%3Cb%3E/c.json"><code>a/&lt;b&gt;/c.json</code></a>`);
    for (const m of page.matchAll(/ (?:href|src)="([^"]*)"/g)) expect(m[1]).toMatch(/^(https:\/\/|\/)[^\s<>"']*$/);
  });

  it("bounds evidence per rule and snippet length", () => {
    const item = page.slice(page.indexOf(hostileTitle.replace(/</g, "&lt;").replace(/>/g, "&gt;")));
    const list = item.slice(0, item.indexOf("</ul>"));
    expect(list.match(/<li>/g)).toHaveLength(EVIDENCE_SHOWN);
    expect(list).toContain('<li class="muted">and 5 more</li>');
    const snippet = /<code class="snippet">([^<]*)<\/code>/.exec(list)![1]!;
    const shown = snippet.replace(/&[a-z]+;/g, "_");
    expect(shown.length).toBe(SNIPPET_MAX);
    expect(shown.endsWith("…")).toBe(true);
  });
});
