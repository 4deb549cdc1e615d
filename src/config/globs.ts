/**
 * Limits on the globs a config may give (`ignore`). picomatch turns a glob
 * into a backtracking regular expression, and some globs backtrack
 * exponentially, or to a high power of the path's length: `*a*a*a*a*a*a*b`
 * spent a minute on one 60-letter file name, and three `**` segments each
 * followed by `*a*b` take seconds on a 60-folder path. These limits keep every
 * glob a config can give to a low, fixed power (at most 3 `*` per segment, 2
 * `**` segments); what is left of a hostile path is cut off by the audit's
 * time budget (src/engine/budget.ts).
 */

/** Globs in one list. */
export const MAX_GLOBS = 64;
/** Characters in one glob. */
export const MAX_GLOB_LENGTH = 256;
/** `*` wildcards in one path segment (`src/*.test.*` has 2). */
export const MAX_STARS_PER_SEGMENT = 3;
/** `**` segments in one glob. */
export const MAX_GLOBSTARS = 2;

/**
 * Why a glob is refused, or undefined when it is within the limits. Also
 * refused: parentheses (picomatch's extglobs `+(a|aa)` and regex groups, the
 * classic catastrophic patterns; a literal parenthesis is matched with `[(]`)
 * and braces inside braces. A `\`-escaped character and a `[...]` class count
 * as one literal character.
 */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters`;
  let braces = 0;
  let globstars = 0;
  let segment = "";
  const endSegment = (): string | undefined => {
    const stars = [...segment].filter((c) => c === "*").length;
    if (segment === "**") globstars++;
    else if (segment.includes("**")) return `has "**" inside a path segment ("${segment}"); "**" must be a whole segment, as in "a/**/b"`;
    else if (stars > MAX_STARS_PER_SEGMENT) return `has ${stars} "*" wildcards in one path segment (at most ${MAX_STARS_PER_SEGMENT})`;
    if (globstars > MAX_GLOBSTARS) return `has more than ${MAX_GLOBSTARS} "**" segments`;
    segment = "";
    return undefined;
  };
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\") {
      i++;
      segment += "x";
      continue;
    }
    if (c === "[") {
      const close = classEnd(glob, i);
      if (close !== -1) {
        i = close;
        segment += "x";
        continue;
      }
    }
    if (c === "(" || c === ")") return `has a parenthesis: extglobs and groups are not supported (match a literal "(" with "[(]")`;
    if (c === "{" && ++braces > 1) return "has braces inside braces";
    if (c === "}" && braces > 0) braces--;
    if (c === "/") {
      const problem = endSegment();
      if (problem) return problem;
      continue;
    }
    segment += c;
  }
  return endSegment();
}

/** The index of the `]` closing the class opened at `open`, or -1 when the `[` is a literal one. */
function classEnd(glob: string, open: number): number {
  let i = open + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++; // a leading "]" is a member, not the end
  for (; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "]") return i;
    else if (glob[i] === "/") return -1;
  }
  return -1;
}

/** How a refused glob is shown in a one-line error: quoted as JSON (no line breaks), cut when long. */
export function showGlob(glob: string): string {
  return JSON.stringify(glob.length > 80 ? `${glob.slice(0, 77)}...` : glob);
}
