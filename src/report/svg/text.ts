/**
 * Text helpers shared by the SVG renderers: XML escaping, and a width estimate
 * for the badge font so a box is sized to its text without measuring it.
 */

/** Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, DEL, lone surrogates, U+FFFE/FFFF): even escaped they make the document malformed. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Safe in XML text and in a quoted attribute; a character XML cannot carry becomes U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, "\ufffd").replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Advance widths in px at 11px for ASCII 32–126, read from DejaVu Sans's hmtx
 * table: the free font shields.io's badges fall back to after Verdana, and
 * metrically close to it (within a few tenths of a pixel a glyph).
 */
const ASCII_WIDTHS: readonly number[] = [
  3.5, 4.41, 5.06, 9.22, 7, 10.45, 8.58, 3.02, 4.29, 4.29, 5.5, 9.22, 3.5, 3.97, 3.5, 3.71, // space ! " # $ % & ' ( ) * + , - . /
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 3.71, 3.71, 9.22, 9.22, 9.22, 5.84, // 0-9 : ; < = > ?
  11, 7.52, 7.55, 7.68, 8.47, 6.95, 6.33, 8.52, 8.27, 3.24, 3.24, 7.21, 6.13, 9.49, 8.23, 8.66, // @ A-O
  6.63, 8.66, 7.64, 6.98, 6.72, 8.05, 7.52, 10.88, 7.54, 6.72, 7.54, 4.29, 3.71, 4.29, 9.22, 5.5, // P-Z [ \ ] ^ _
  5.5, 6.74, 6.98, 6.05, 6.98, 6.77, 3.87, 6.98, 6.97, 3.06, 3.06, 6.37, 3.06, 10.72, 6.97, 6.73, // ` a-o
  6.98, 6.98, 4.52, 5.73, 4.31, 6.97, 6.51, 9, 6.51, 6.51, 5.77, 7, 3.71, 7, 9.22, // p-z { | } ~
];

/**
 * Anything else counts a full em: as wide as the widest common glyphs (CJK,
 * W, @), so an estimate errs wide and text never overflows its box.
 */
const OTHER_WIDTH = 11;

/** Estimated rendered width in px of `text` in Verdana / DejaVu Sans at 11px. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    width += code >= 32 && code <= 126 ? (ASCII_WIDTHS[code - 32] ?? OTHER_WIDTH) : OTHER_WIDTH;
  }
  return width;
}
