/**
 * Rule and evidence types. Rules are data (rules/<skill>/<name>.yml, checked
 * against rules/schema.json); these types mirror that schema.
 */

export type Globs = string | string[];

export interface FilesMatcher {
  files: {
    include: Globs;
    exclude?: Globs;
    /** Minimum number of matching files (default 1). */
    min?: number;
    /** Minimum size in bytes of a matching file (the matching files are read to check). */
    minBytes?: number;
  };
}

export interface ContentMatcher {
  content: {
    include: Globs;
    exclude?: Globs;
    /** JavaScript regular expression source, compiled with the `m` flag (plus `flags`). */
    pattern: string;
    flags?: "i" | "s" | "is" | "si";
    /** Minimum number of files whose content matches (default 1). */
    min?: number;
    /** Minimum number of matches within one file (default 1); evidence names the first. */
    minMatches?: number;
    /**
     * Only files in the modules that declare a matching dependency: under the
     * folder of a manifest that declares it (a route in the web module, not in
     * a test-data project that happens to pull in a web framework).
     */
    within?: DependencyMatcher;
    /**
     * Also match inside comments. By default comments are blanked per file type
     * before matching (a commented-out setting proves nothing); only for
     * directives that live in comments (`//go:build`, `-- +goose Up`).
     */
    matchComments?: boolean;
  };
}

export type Ecosystem = "npm" | "pypi" | "maven" | "gradle" | "sbt" | "go" | "nuget" | "rubygems" | "composer" | "cargo" | "hex";

export interface DependencyMatcher {
  dependency: {
    /** Exact package names (case-insensitive; PyPI names normalised per PEP 503).
     * Maven/Gradle: "group:artifact" or just "artifact". Go: module path (a "/vN" suffix is ignored). */
    names?: string[];
    /** A regular expression tested against the full package name (case-insensitive). */
    pattern?: string;
    ecosystems?: Ecosystem[];
    /** Which kinds of declaration count: default all (runtime, dev, plugin). */
    kinds?: Array<"runtime" | "dev" | "plugin">;
  };
}

export interface DockerfileMatcher {
  dockerfile: {
    /** At least this many FROM stages in one Dockerfile. */
    minStages?: number;
    /** The final stage's last USER instruction names a non-root user. */
    finalStageNonRoot?: boolean;
    /** An instruction present in the final stage (e.g. HEALTHCHECK), optionally with arguments matching `argsPattern`. */
    instruction?: string;
    argsPattern?: string;
  };
}

export interface CiMatcher {
  ci: {
    /** Regex tested against each `run` script line (GitHub Actions) or each script line (other CI systems). */
    run?: string;
    /** Regex tested against each step's `uses:` (GitHub Actions only). */
    uses?: string;
    /** With `uses`: each named `with:` input must match its regex (e.g. { push: "^true$" }). */
    with?: Record<string, string>;
    /** A job whose text matches this regex is ignored (e.g. it only deploys to a throwaway kind cluster). */
    ignoreJobsMatching?: string;
    flags?: "i";
    /**
     * With `run`: also match what a step's wrappers execute — scripts in the repository
     * (`./scripts/test.sh`, `bin/ci`), Makefile targets and package.json scripts, a few levels deep.
     */
    followScripts?: boolean;
  };
}

export interface ComposeMatcher {
  compose: {
    /** Services must have these top-level keys (e.g. ["build", "healthcheck"]). */
    has?: string[];
    /** Regex tested against the service's `image:`. */
    image?: string;
  };
}

export interface LanguageMatcher {
  language: {
    /** Passes when the main programming language of the tree (by file count) is one of these (linguist names). */
    main: string[];
  };
}

export interface AllMatcher { all: Matcher[] }
export interface AnyMatcher { any: Matcher[] }
export interface NotMatcher { not: Matcher }

export type LeafMatcher =
  | FilesMatcher
  | ContentMatcher
  | DependencyMatcher
  | DockerfileMatcher
  | CiMatcher
  | ComposeMatcher
  | LanguageMatcher;

export type Matcher = LeafMatcher | AllMatcher | AnyMatcher | NotMatcher;

/**
 * A condition on the stack that picks a rule's fix. Only what is known without
 * reading source files (the main language, declared dependencies, the file
 * list), so choosing a fix never costs a read and every source chooses alike.
 */
export type FixCondition =
  | LanguageMatcher
  | DependencyMatcher
  | { files: { include: Globs; exclude?: Globs; min?: number } }
  | { all: FixCondition[] }
  | { any: FixCondition[] };

/** A fix for one stack; the first variant whose `when` holds replaces the rule's general `fix`. */
export interface FixVariant {
  when: FixCondition;
  fix: string;
  /** Shown as what the fix is for ("Java · Maven"); by default derived from what matched. */
  label?: string;
}

export interface RuleExample {
  description?: string;
  files: Record<string, string>;
  /** Frameworks whose own idiom the example shows; the detector must name each in the tree. */
  frameworks?: string[];
  /** That idiom in a few words, for docs/frameworks.md. */
  idiom?: string;
}

/** How a rule reads across frameworks, for docs/frameworks.md. */
export interface RuleFrameworks {
  /** The evidence does not depend on the framework. */
  any?: string;
  /** Frameworks where the rule cannot apply, with the reason. */
  notApplicable?: Record<string, string>;
}

export interface Rule {
  id: string;
  skill: string;
  title: string;
  weight: number;
  why: string;
  fix: string;
  /** Per-stack fixes, first match wins; `fix` stays the fallback (src/engine/fixes.ts). */
  fixes?: FixVariant[];
  requires?: string[];
  /** Not-applicable unless at least one of these rules passes. */
  requiresAny?: string[];
  /** Free-form references for rule maintainers (docs links). */
  references?: string[];
  match: Matcher;
  examples: { pass: RuleExample[]; fail: RuleExample[] };
  frameworks?: RuleFrameworks;
  /** File the rule was loaded from, relative to the rules directory. */
  file?: string;
}

export interface Skill {
  id: string;
  title: string;
  weight: number;
  description: string;
}

export interface RuleSet {
  skills: Skill[];
  rules: Rule[];
}

export interface Evidence {
  path: string;
  line?: number;
  /** The matching line, trimmed and capped, when there is one. */
  snippet?: string;
}

export type RuleStatus = "pass" | "fail" | "not-applicable";

export interface RuleResult {
  id: string;
  skill: string;
  title: string;
  status: RuleStatus;
  /** Why this verdict: what earned a pass, or what caused a fail for rules that fail on presence. */
  evidence: Evidence[];
  /** For a fail: the fix for the detected stack when a rule variant matched, else the rule's general fix. */
  fix: string;
  /** When a stack variant was chosen: what it is for ("TypeScript · vitest"). */
  fixFor?: string;
  /** When a stack variant was chosen: the rule's general fix. */
  generalFix?: string;
  why: string;
  /** For not-applicable: the required rule ids that did not pass. */
  unmetRequires?: string[];
}
