import { describe, expect, it } from "vitest";
import { renderStatusPage } from "../../../src/report/html/notFoundPage.js";
import { expectWellFormedPage } from "./htmlCheck.js";

describe("renderStatusPage", () => {
  it("is a whole page with the title as its heading, escaped", () => {
    const page = renderStatusPage(404, "Not found: <x>", "No public audit of `o/<r>` here.");
    expectWellFormedPage(page);
    expect(page).toContain("<title>Not found: &lt;x&gt; · skillproof</title>");
    expect(page).toContain("<h1>Not found: &lt;x&gt;</h1>\n<p>No public audit of `o/&lt;r&gt;` here.</p>\n<p class=\"muted\">HTTP status 404</p>");
  });

  it("links the stylesheet it is given", () => {
    expect(renderStatusPage(429, "Slow down", "Too many requests.", "/static/s.css")).toContain('<link rel="stylesheet" href="/static/s.css">');
  });
});
