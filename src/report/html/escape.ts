import { printable } from "../printable.js";

/**
 * HTML built so that escaping is the default: the `html` template tag escapes
 * every interpolated string, and only `Html` values (markup this module's
 * callers built with the tag) pass through as they are. A file name, a
 * snippet, a rule's text or an owner name can then never become markup by
 * being forgotten: it would have to be wrapped on purpose, and nothing here
 * offers a way to wrap a raw string.
 */

/** Markup built by `html` (or `codeText`); interpolating it does not escape it again. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What `html` accepts: markup, text (escaped), numbers, nothing (false, null, undefined: `cond && html\`…\``), or lists of those. */
export type HtmlValue = Html | string | number | false | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `text` with `& < > " '` as entities: safe in text and in a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

function fragment(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return "";
  if (typeof value === "number") return escapeHtml(String(value));
  // Control characters are invalid in HTML text and a bidi override would show text in another order than it is.
  if (typeof value === "string") return escapeHtml(printable(value));
  return value.map(fragment).join("");
}

/** The template's markup with every interpolated string escaped; attribute values must be double-quoted in the template. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += fragment(values[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/**
 * Prose whose `backtick spans` become `<code>`, the way rule fixes and
 * reasons are written (rules/*.yml). Every part is escaped; an odd backtick
 * count leaves the text as written.
 */
export function codeText(text: string): Html {
  const parts = text.split("`");
  if (parts.length % 2 === 0) return html`${text}`;
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** `text` cut to at most `max` characters, ending in "…" when cut (never inside a surrogate pair). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
