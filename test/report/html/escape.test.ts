import { describe, expect, it } from "vitest";
import { clip, codeText, escapeHtml, html } from "../../../src/report/html/escape.js";

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and quoted attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});

describe("html", () => {
  it("escapes interpolated strings but not markup it built", () => {
    const name = `"><img src=x onerror=alert(1)>.js`;
    const inner = html`<code>${name}</code>`;
    expect(html`<p title="${name}">${inner}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.js"><code>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.js</code></p>',
    );
  });

  it("joins lists and drops false, null and undefined", () => {
    expect(html`<ul>${["a", "<b>"].map((x) => html`<li>${x}</li>`)}</ul>${false}${null}${undefined}${0}`.value).toBe("<ul><li>a</li><li>&lt;b&gt;</li></ul>0");
  });

  it("shows control characters and bidi overrides as visible stand-ins", () => {
    expect(html`${"a\nb\u202ec\x1b[2J"}`.value).toBe("a␊b\ufffdc␛[2J");
  });
});

describe("codeText", () => {
  it("turns backtick spans into code, escaping every part", () => {
    expect(codeText("Add `USER <app>` & rebuild").value).toBe("Add <code>USER &lt;app&gt;</code> &amp; rebuild");
  });

  it("leaves an odd backtick count as written", () => {
    expect(codeText("a ` b `c` <").value).toBe("a ` b `c` &lt;");
  });
});

describe("clip", () => {
  it("cuts with an ellipsis, never inside a surrogate pair", () => {
    expect(clip("abcdef", 10)).toBe("abcdef");
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("ab😀cd", 4)).toBe("ab…");
  });
});
