/**
 * Comments never prove anything: a coverage threshold that is commented out,
 * a `# - npm test` line or a `<!-- <plugin> -->` block is text, not
 * configuration. This module blanks comments per file type, keeping every
 * newline (and so every line number and offset) where it was, so content
 * rules match only what the tool that reads the file would see.
 *
 * The scanners are deliberately small: they know strings (so `"http://x"` and
 * `"#fff"` survive) and the comment forms of each syntax, nothing else. When a
 * construct is ambiguous (an apostrophe in a plain YAML scalar, a Rust
 * lifetime) they err on keeping text, which is what happened before.
 */

interface CommentSyntax {
  /** Markers that comment out the rest of the line. */
  line?: readonly string[];
  /** Block comment delimiters. */
  block?: ReadonlyArray<readonly [open: string, close: string]>;
  /** An unterminated block comment runs to the end of the file (C) or is kept as text (HTML in Markdown). */
  blockToEof?: boolean;
  /** Characters that open a string literal. */
  quotes?: string;
  /** Quotes whose strings may span lines (JS and Go backticks). */
  multiLineQuotes?: string;
  /** `"""` and `'''` strings (Python, Kotlin, Groovy, TOML, Java text blocks). */
  triple?: boolean;
  /** Comment markers count only as the first thing on a line (Dockerfile, .properties, INI). */
  lineStartOnly?: boolean;
  /** `#` starts a comment only at the start of a line or after whitespace (YAML, shell: `$#`, `a#b` are text). */
  hashAfterSpace?: boolean;
  /** `#[` is an attribute, not a comment (PHP 8). */
  hashBracketIsCode?: boolean;
}

const C_LIKE: CommentSyntax = { line: ["//"], block: [["/*", "*/"]], blockToEof: true, quotes: `"'` };
const JS: CommentSyntax = { ...C_LIKE, quotes: "\"'`", multiLineQuotes: "`" };
const GO: CommentSyntax = JS;
const JVM: CommentSyntax = { ...C_LIKE, triple: true };
const PHP: CommentSyntax = { line: ["//", "#"], block: [["/*", "*/"]], blockToEof: true, quotes: `"'`, hashBracketIsCode: true };
const PYTHON: CommentSyntax = { line: ["#"], quotes: `"'`, triple: true };
const RUBY: CommentSyntax = { line: ["#"], quotes: `"'` };
const HASH: CommentSyntax = { line: ["#"], quotes: `"'`, hashAfterSpace: true };
const TOML: CommentSyntax = { line: ["#"], quotes: `"'`, triple: true };
const HCL: CommentSyntax = { line: ["#", "//"], block: [["/*", "*/"]], blockToEof: true, quotes: `"` };
const SQL: CommentSyntax = { line: ["--"], block: [["/*", "*/"]], blockToEof: true, quotes: `'"` };
const MARKUP: CommentSyntax = { block: [["<!--", "-->"]] };
const HASH_LINE: CommentSyntax = { line: ["#"], lineStartOnly: true };
const PROPERTIES: CommentSyntax = { line: ["#", "!"], lineStartOnly: true };
const INI: CommentSyntax = { line: ["#", ";"], lineStartOnly: true };

const BY_EXTENSION = new Map<string, CommentSyntax>([
  ...["js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts"].map((e) => [e, JS] as const),
  ["go", GO],
  ...["java", "kt", "kts", "gradle", "groovy", "gvy", "scala", "sc", "sbt", "swift", "dart"].map((e) => [e, JVM] as const),
  ...["cs", "fs", "c", "h", "cc", "cpp", "hpp", "cxx", "m", "rs", "proto", "json", "jsonc", "json5"].map((e) => [e, C_LIKE] as const),
  ["php", PHP],
  ...["py", "pyi", "pyw"].map((e) => [e, PYTHON] as const),
  ...["rb", "rake", "gemspec", "ru"].map((e) => [e, RUBY] as const),
  // Elixir: `#` comments, strings in double quotes (`#{}` interpolation stays inside them).
  ...["ex", "exs"].map((e) => [e, RUBY] as const),
  ...["yml", "yaml", "tpl", "sh", "bash", "zsh", "ksh", "mk", "env", "envrc", "conf", "nginx"].map((e) => [e, HASH] as const),
  ["toml", TOML],
  ...["tf", "tfvars", "hcl"].map((e) => [e, HCL] as const),
  ["sql", SQL],
  ...["xml", "html", "htm", "xhtml", "csproj", "fsproj", "vbproj", "props", "targets", "xsd", "wsdl", "md", "markdown", "mdx"].map((e) => [e, MARKUP] as const),
  ["properties", PROPERTIES],
  ...["ini", "cfg", "editorconfig", "npmrc", "coveragerc", "pylintrc", "flake8", "yarnrc"].map((e) => [e, INI] as const),
  ...["dockerfile", "containerfile"].map((e) => [e, HASH_LINE] as const),
]);

const BY_NAME = new Map<string, CommentSyntax>([
  ...["Dockerfile", "Containerfile", "CODEOWNERS", ".gitignore", ".dockerignore", ".gitattributes"].map((n) => [n, HASH_LINE] as const),
  ...["Makefile", "makefile", "GNUmakefile", "Justfile", "justfile", ".env", ".envrc", "Procfile"].map((n) => [n, HASH] as const),
  ...["Gemfile", "Rakefile", "Podfile", "Brewfile", "Vagrantfile", "Guardfile", "Capfile", "Dangerfile", "Fastfile"].map((n) => [n, RUBY] as const),
  ["Pipfile", TOML],
  ...[".coveragerc", ".npmrc", ".editorconfig", ".pylintrc", ".flake8", "setup.cfg", "tox.ini", "pytest.ini", ".pypirc"].map((n) => [n, INI] as const),
]);

/** The comment syntax of a path, or undefined for formats whose comments are not known (kept as they are). */
export function commentSyntaxOf(path: string): CommentSyntax | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const named = BY_NAME.get(base);
  if (named) return named;
  if (/^Jenkinsfile(?:\.[\w-]+)?$/.test(base)) return JVM;
  if (/^Dockerfile[.-]/.test(base)) return HASH_LINE;
  if (/^\.env\./.test(base)) return HASH;
  // pip requirement files: "#" after whitespace, as pip reads them.
  if (/requirements[\w.-]*\.(?:txt|in)$/.test(base)) return HASH;
  const dot = base.lastIndexOf(".");
  return dot === -1 ? undefined : BY_EXTENSION.get(base.slice(dot + 1).toLowerCase());
}

const syntaxScanners = new WeakMap<CommentSyntax, RegExp>();
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A regex finding the next place where a comment or string may start, so plain code is skipped natively. */
function scannerOf(syntax: CommentSyntax): RegExp {
  let re = syntaxScanners.get(syntax);
  if (!re) {
    const starts = [...(syntax.line ?? []), ...(syntax.block ?? []).map(([open]) => open)].map(escapeRe);
    const quotes = syntax.quotes ? [`[${escapeRe(syntax.quotes)}]`] : [];
    re = syntax.lineStartOnly
      ? new RegExp(`^[ \\t]*(?:${starts.join("|")})[^\\n]*`, "gm")
      : new RegExp([...starts, ...quotes].join("|"), "g");
    syntaxScanners.set(syntax, re);
  }
  return re;
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10;

/** The text with every comment replaced by spaces (newlines kept); the same string when it has none. */
export function blankComments(text: string, syntax: CommentSyntax): string {
  const ranges: Array<[number, number]> = [];
  const scanner = scannerOf(syntax);
  scanner.lastIndex = 0;
  if (syntax.lineStartOnly) {
    for (let m = scanner.exec(text); m; m = scanner.exec(text)) {
      const at = m.index + m[0].length - m[0].trimStart().length;
      ranges.push([at, m.index + m[0].length]);
      if (m[0].length === 0) scanner.lastIndex++;
    }
    return applyBlanks(text, ranges);
  }
  const n = text.length;
  const lineMarkers = syntax.line ?? [];
  const blocks = syntax.block ?? [];
  const quotes = syntax.quotes ?? "";
  const multi = syntax.multiLineQuotes ?? "";
  let i = 0;
  scan: while (i < n) {
    scanner.lastIndex = i;
    const m = scanner.exec(text);
    if (!m) break;
    i = m.index;
    for (const [open, close] of blocks) {
      if (!text.startsWith(open, i)) continue;
      const end = text.indexOf(close, i + open.length);
      if (end === -1 && !syntax.blockToEof) break;
      const stop = end === -1 ? n : end + close.length;
      ranges.push([i, stop]);
      i = stop;
      continue scan;
    }
    for (const marker of lineMarkers) {
      if (!text.startsWith(marker, i)) continue;
      if (marker === "#") {
        if (syntax.hashAfterSpace && i > 0 && !isBlank(text.charCodeAt(i - 1))) continue;
        if (syntax.hashBracketIsCode && text.charCodeAt(i + 1) === 91) continue;
      }
      const nl = text.indexOf("\n", i);
      const stop = nl === -1 ? n : nl;
      ranges.push([i, stop]);
      i = stop;
      continue scan;
    }
    const ch = text[i]!;
    if (quotes.includes(ch)) {
      i = stringEnd(text, i, ch, syntax.triple === true, multi.includes(ch));
      continue;
    }
    i++;
  }
  return applyBlanks(text, ranges);
}

const SPACES = " ".repeat(256);
/** Spaces for every character but newlines. */
function blankRun(s: string): string {
  if (s.length <= SPACES.length && s.indexOf("\n") === -1) return SPACES.slice(0, s.length);
  return s.replace(/[^\n]+/g, (run) => (run.length <= SPACES.length ? SPACES.slice(0, run.length) : " ".repeat(run.length)));
}

function applyBlanks(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  if (ranges.length === 0) return text;
  let out = "";
  let from = 0;
  for (const [a, b] of ranges) {
    out += text.slice(from, a) + blankRun(text.slice(a, b));
    from = b;
  }
  return out + text.slice(from);
}

const stringScanners = new Map<string, RegExp>();

/** Offset just past the string literal opening at `i` (or at the end of its line when it does not close there). */
function stringEnd(text: string, i: number, quote: string, triple: boolean, multiLine: boolean): number {
  const n = text.length;
  if (triple && text.startsWith(quote.repeat(3), i)) {
    const close = text.indexOf(quote.repeat(3), i + 3);
    return close === -1 ? n : close + 3;
  }
  let re = stringScanners.get(quote);
  if (!re) stringScanners.set(quote, (re = new RegExp(`[\\\\${escapeRe(quote)}\\n]`, "g")));
  re.lastIndex = i + 1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const c = m[0];
    if (c === "\\") re.lastIndex = m.index + 2;
    else if (c === quote) return m.index + 1;
    else if (!multiLine) return m.index;
  }
  return n;
}

/** A path's text as its tools read it: comments blanked when the format's comment syntax is known. */
export function withoutComments(path: string, text: string): string {
  const syntax = commentSyntaxOf(path);
  return syntax ? blankComments(text, syntax) : text;
}
