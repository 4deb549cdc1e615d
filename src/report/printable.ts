/**
 * Repository text made safe to print on a terminal or inside one line of a
 * report. A file name or a snippet may hold control characters: an escape
 * sequence (`\x1b[2J`, or the 8-bit CSI `\x9b`) would drive the reader's
 * terminal, a newline would forge a report line, a bidirectional override
 * would show text in another order than it is (Trojan Source). Each is shown
 * as a visible stand-in instead, so nothing is silently dropped.
 */

/** C0 controls and DEL: their Unicode Control Pictures (`\n` → `␊`, ESC → `␛`), tab as a space. */
function controlPicture(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x09) return " ";
  return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const C0_AND_DEL = /[\x00-\x1f\x7f]/g;
/** C1 controls, line/paragraph separators, bidi embeddings, overrides and isolates. */
const INVISIBLE_CONTROLS = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character replaced by a visible stand-in: one line, no terminal sequences. */
export function printable(text: string): string {
  return text.replace(C0_AND_DEL, controlPicture).replace(INVISIBLE_CONTROLS, "\ufffd");
}
