import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";

/**
 * CommonMark (markdown-it) set up to read Markdown the way GitHub shows it, for
 * tests of what a rendered report can do: raw HTML parsed as HTML (GitHub
 * sanitises it, but it is the attack surface), GFM tables, and linkify for
 * scheme autolinks. GitHub's other autolinks (`www.`, e-mail, `@mention`,
 * `#1`, `owner/repo#1`, `GH-1`) are applied by GitHub to the HTML's text after
 * rendering; linkify-it does some differently (it counts U+200B as a letter,
 * it links `//host`), so those are checked on the text tokens instead, with
 * GitHub's patterns (GITHUB_TEXT_LINKS).
 */
export function githubMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: true });
  md.linkify.add("//", null).set({ fuzzyEmail: false });
  return md;
}

/** What GitHub turns into a live link, mention or reference in text (outside code and links). */
const GITHUB_TEXT_LINKS: Array<[string, RegExp]> = [
  ["mention", /@[A-Za-z0-9]/],
  ["issue reference", /#\d/],
  ["GH- reference", /\bGH-\d/i],
  ["www autolink", /\bwww\./i],
  ["URL autolink", /\b[a-z][a-z0-9+.-]*:\/\//i],
];

/** Text whose only autolinks are URLs to allowed hosts, and no mention or reference (a rule's link to its reference page). */
function allowedAutolinks(text: string, hosts: string[]): boolean {
  const rest = text.replace(/\bhttps:\/\/([a-z0-9.-]+)[^\s<]*/gi, (url, host: string) => (hosts.includes(host.toLowerCase()) ? "" : url));
  return GITHUB_TEXT_LINKS.every(([, re]) => !re.test(rest));
}

export interface MarkdownFindings {
  /** Everything that could act on a reader: foreign links, images, raw HTML, live mentions and references. */
  problems: string[];
  /** The text a reader sees (text and code), for checking that hostile names show as they are. */
  visible: string;
}

/**
 * Renders `markdown` and lists what would be unsafe on GitHub. Links may only
 * go to https://github.com (`allowedHosts`); raw HTML only as the tags the
 * renderers write themselves (`allowedHtml`).
 */
export function inspectMarkdown(markdown: string, options: { allowedHosts?: string[]; allowedHtml?: string[] } = {}): MarkdownFindings {
  const hosts = options.allowedHosts ?? ["github.com"];
  const html = options.allowedHtml ?? ["<sub>", "</sub>", "<br>"];
  const problems: string[] = [];
  const visible: string[] = [];
  const walk = (tokens: Token[]): void => {
    for (const t of tokens) {
      if (t.type === "html_block") problems.push(`raw HTML block: ${t.content.trim()}`);
      if (t.type === "html_inline" && !html.includes(t.content)) problems.push(`raw HTML: ${t.content}`);
      if (t.type === "image") problems.push(`image: ${t.attrGet("src")}`);
      if (t.type === "link_open") {
        const href = t.attrGet("href") ?? "";
        let host = "";
        try {
          const url = new URL(href);
          host = url.protocol === "https:" ? url.hostname : "";
        } catch {
          host = "";
        }
        if (!hosts.includes(host)) problems.push(`link to ${href}`);
      }
      if (t.type === "text") {
        for (const [kind, re] of GITHUB_TEXT_LINKS) {
          if (re.test(t.content) && !allowedAutolinks(t.content, hosts)) problems.push(`${kind} in text: ${JSON.stringify(t.content)}`);
        }
      }
      if (t.type === "text" || t.type === "code_inline") visible.push(t.content);
      if (t.type === "fence" || t.type === "code_block") visible.push(t.content);
      if (t.type === "softbreak" || t.type === "hardbreak") visible.push("\n");
      if (t.children) walk(t.children);
      if (t.type === "paragraph_close" || t.type === "td_close" || t.type === "th_close") visible.push("\n");
    }
  };
  walk(githubMarkdown().parse(markdown, {}));
  return { problems, visible: visible.join("").replaceAll("\u200b", "") };
}
