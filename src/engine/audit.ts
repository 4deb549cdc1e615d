import type { FileEntry, Source, Target } from "../sources/source.js";
import { detectFrameworks, detectLanguages, mainLanguage, type Framework, type LanguageShare } from "../stack/index.js";
import { DeadlineCheck } from "./budget.js";
import { depthNeeds, withDepth, type AuditedRule } from "./depth/index.js";
import { evaluateRules, type RuleOutcome } from "./evaluate.js";
import { AuditFacts } from "./facts.js";
import { chooseFix } from "./fixes.js";
import { FileIndex, globTest } from "./fileIndex.js";
import { declaredDependencies, manifestPaths } from "./matchers/dependency.js";
import type { RuleSet } from "./types.js";
import { isVendored } from "./vendored.js";

/** A need group of at most this many files is "cheap" and read in the first round. */
const CHEAP_GROUP = 32;
const MAX_ROUNDS = 8;

export interface AuditOptions {
  ruleSet: RuleSet;
  /** Extra globs excluded from evidence (the config's `ignore`). */
  ignore?: string[];
  /**
   * Date.now() milliseconds past which the audit stops with AuditTimeoutError
   * (checked between files and rules, src/engine/budget.ts). None: no limit.
   */
  deadline?: number;
  /** The budget the deadline came from, for the error's message; default: the time left when the audit starts. */
  budgetMs?: number;
}

export interface AuditResult {
  target: Target;
  /** Every rule's verdict; passes carry the facts behind them (src/engine/depth). */
  results: AuditedRule[];
  stack: { languages: LanguageShare[]; mainLanguage?: string; frameworks: Framework[] };
  files: { listed: number; considered: number; read: number };
  /** Content-read rounds the audit took (each is one batch from the source). */
  rounds: number;
  warnings: string[];
  notes: string[];
}

export function considerableFiles<T extends FileEntry | string>(files: readonly T[], ignore: readonly string[] = [], deadline?: DeadlineCheck): T[] {
  const ignored = ignore.length > 0 ? globTest([...ignore]) : undefined;
  const pathOf = (f: T): string => (typeof f === "string" ? f : f.path);
  // The config's globs meet the repository's paths here: both come from the candidate, so the budget is checked per path.
  const kept = files.filter((f) => {
    deadline?.tick();
    const path = pathOf(f);
    return !isVendored(path) && !(ignored?.(path) ?? false);
  });
  // git lists in order already; sorting 90,000 sorted paths still costs.
  for (let i = 1; i < kept.length; i++) {
    if (pathOf(kept[i - 1]!) > pathOf(kept[i]!)) return kept.sort((a, b) => (pathOf(a) < pathOf(b) ? -1 : pathOf(a) > pathOf(b) ? 1 : 0));
  }
  return kept;
}

/**
 * Runs every rule over a source: list the tree once, then read contents in
 * rounds, each round only the files whose content can still change a verdict.
 * The first round reads small need groups (manifests, CI files, Dockerfiles),
 * which usually settles the cheap checks that gate the expensive ones.
 */
export async function audit(source: Source, options: AuditOptions): Promise<AuditResult> {
  const deadline = DeadlineCheck.start(options.deadline, options.budgetMs);
  deadline?.check();
  const { index, listedCount } = await listedIndex(source, options.ignore, deadline);
  const languages = detectLanguages(index.paths);
  const main = mainLanguage(languages);
  const facts = deadline ? new TimedFacts(index, main, deadline) : new AuditFacts(index, main);
  const rules = options.ruleSet.rules;

  // What the depth probes want read rides along with the first read, so facts cost no round.
  const depthWanted = depthNeeds(rules, facts);

  let outcomes: Map<string, RuleOutcome> = new Map();
  let rounds = 0;
  let read = 0;
  for (;;) {
    deadline?.check();
    outcomes = evaluateRules(rules, facts, outcomes, deadline);
    const groups = [...outcomes.values()].flatMap((o) => (o.state === "pending" ? o.needs : []));
    const pending = [...outcomes.values()].some((o) => o.state === "pending");
    if (!pending) break;
    if (rounds >= MAX_ROUNDS) throw new Error("audit did not settle: a rule keeps asking for content");
    let chosen = rounds === 0 ? groups.filter((g) => g.length <= CHEAP_GROUP) : groups;
    if (chosen.length === 0) chosen = groups;
    const wanted = new Set<string>(rounds === 0 ? [...manifestPaths(facts), ...depthWanted] : []);
    for (const g of chosen) for (const p of g) wanted.add(p);
    const toRead = [...wanted].filter((p) => !facts.has(p));
    if (toRead.length === 0) throw new Error("audit did not settle: pending rules need nothing new");
    facts.store(await source.readFiles(toRead));
    read += toRead.length;
    rounds++;
  }
  deadline?.check();

  // Stack detection wants the manifests even when no rule asked for them (and the probes their files, when no round ran).
  const unread = [...new Set([...manifestPaths(facts), ...depthWanted])].filter((p) => !facts.has(p));
  if (unread.length > 0) {
    facts.store(await source.readFiles(unread));
    read += unread.length;
    rounds++;
  }
  const results = rules.map((r) => {
    deadline?.check();
    const o = outcomes.get(r.id)!;
    if (o.state !== "done") throw new Error(`rule ${r.id} left pending`);
    // The fix is chosen once every manifest is read, so it never depends on the round a rule settled in.
    return withDepth(r, chooseFix(r, o.result, facts), facts, languages);
  });
  deadline?.check();
  const deps = declaredDependencies(facts) ?? [];
  return {
    target: source.target,
    results,
    stack: { languages, ...(main ? { mainLanguage: main } : {}), frameworks: detectFrameworks(deps, index.paths) },
    files: { listed: listedCount, considered: index.paths.length, read },
    rounds,
    warnings: facts.warnings,
    notes: source.notes?.() ?? [],
  };
}

/**
 * The considerable files, indexed. Paths alone where the source can list them
 * so (entry objects for 90,000 files cost megabytes), and the full listing is
 * not kept past this call.
 */
async function listedIndex(source: Source, ignore: readonly string[] | undefined, deadline: DeadlineCheck | undefined): Promise<{ index: FileIndex; listedCount: number }> {
  const listed = source.listPaths ? await source.listPaths() : (await source.listFiles()).map((f) => f.path);
  deadline?.check();
  return { index: new FileIndex(considerableFiles(listed, ignore, deadline)), listedCount: listed.length };
}

/**
 * Facts whose every file read by a matcher or probe counts as a unit of work
 * against the deadline: a rule's content patterns run file by file, and one
 * rule over thousands of files is where an audit's time goes.
 */
class TimedFacts extends AuditFacts {
  constructor(
    index: FileIndex,
    main: string | undefined,
    private readonly deadline: DeadlineCheck,
  ) {
    super(index, main);
  }

  override text(path: string): string | null | undefined {
    this.deadline.tick();
    return super.text(path);
  }
}
