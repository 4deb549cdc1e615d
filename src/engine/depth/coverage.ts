import { isCiPath } from "../matchers/ci.js";
import { lineAt } from "../facts.js";
import type { AuditFacts } from "../facts.js";
import type { DepthProbe, RuleDepth } from "./types.js";

/** Where coverage thresholds are set, at the root or one folder down (a monorepo's packages/app). */
const CONFIG_GLOBS = [
  "{,*/}{jest,vitest,vite}.config.{js,cjs,mjs,ts,mts,cts,json}",
  "{,*/}{.nycrc,.nycrc.json,.nycrc.yml,.nycrc.yaml,.c8rc,.c8rc.json,.coveragerc,.simplecov,codecov.yml,.codecov.yml,codecov.yaml,.codecov.yaml,setup.cfg,tox.ini,pyproject.toml,phpunit.xml,phpunit.xml.dist,build.gradle,build.gradle.kts,pom.xml,package.json,Makefile,karma.conf.js,.testcoverage.yml}",
  ".github/{codecov,.codecov}.{yml,yaml}",
  "{spec/spec_helper.rb,spec/rails_helper.rb,test/test_helper.rb}",
];
const MAX_CONFIGS = 12;

/**
 * Threshold settings, each with the capture that holds the number. Ratios
 * (JaCoCo's 0.80) are turned into percentages.
 */
const THRESHOLDS: RegExp[] = [
  /\b(?:coverageThreshold|thresholds)["']?\s*:\s*\{[\s\S]{0,400}?["']?\b(?:lines|statements|branches|functions)["']?\s*:\s*(\d+(?:\.\d+)?)/,
  /--cov-fail-under[= ](\d+(?:\.\d+)?)/,
  /^\s*fail[_-]under\s*[=:]\s*(\d+(?:\.\d+)?)/m,
  /<minimum>\s*(\d*\.\d+|\d+)\s*%?\s*<\/minimum>/,
  /\bminimum\s*=\s*(?:BigDecimal\(\s*)?["']?(0?\.\d+|1\.0)["']?/,
  /\bminBound\(\s*(\d+)/,
  /^\s*target:\s*["']?(\d+(?:\.\d+)?)%/m,
  /\bminimum_coverage\s*\(?\s*(?:line:\s*)?(\d+(?:\.\d+)?)/,
  /\bthreshold-total:\s*(\d+(?:\.\d+)?)/,
  /\/p:Threshold=(\d+)/,
  /--coverage\.thresholds\.(?:lines|statements|branches|functions)[= ](\d+)/,
  /--check-coverage\b[^\n]*?--(?:lines|statements|branches|functions)[= ](\d+)/,
  /"check-coverage"\s*:\s*true[\s\S]{0,200}?"(?:lines|statements|branches|functions)"\s*:\s*(\d+)/,
  /--min-coverage[= ](\d+)/,
];

function configFiles(facts: AuditFacts): string[] {
  return [...facts.index.match(CONFIG_GLOBS)].sort((a, b) => a.split("/").length - b.split("/").length).slice(0, MAX_CONFIGS);
}

/** testing/coverage: is there a threshold the build enforces, or is coverage only measured? */
export const coverageProbe: DepthProbe = {
  needs: (_rule, facts) => configFiles(facts),
  measure({ result, facts }): RuleDepth {
    const where = [...configFiles(facts), ...facts.index.filterOnce("ci", isCiPath)];
    const found = findThreshold(where, facts);
    const tool = result.evidence[0];
    const measuredBy = tool ? (tool.snippet && tool.snippet.length < 60 ? tool.snippet : tool.path) : null;
    if (!found) {
      return { facts: { threshold: null, measuredBy }, summary: "measured, no threshold" };
    }
    return {
      facts: { threshold: found.percent, thresholdIn: `${found.path}:${found.line}`, measuredBy },
      summary: `threshold ${found.percent}% (${found.path}:${found.line})`,
    };
  },
};

export function findThreshold(paths: readonly string[], facts: AuditFacts): { percent: number; path: string; line: number } | undefined {
  for (const path of paths) {
    const text = facts.text(path);
    if (typeof text !== "string") continue;
    for (const re of THRESHOLDS) {
      const m = re.exec(text);
      if (!m) continue;
      const at = m.index + m[0].indexOf(m[1]!);
      const line = lineAt(text, at);
      if (isCommentLine(text, at)) continue;
      const n = Number(m[1]);
      if (!Number.isFinite(n) || n <= 0) continue;
      const percent = n <= 1 && /\./.test(m[1]!) ? Math.round(n * 100) : Math.round(n);
      if (percent > 100) continue;
      return { percent, path, line };
    }
  }
  return undefined;
}

/** A threshold in a commented-out line proves nothing. */
function isCommentLine(text: string, offset: number): boolean {
  const start = text.lastIndexOf("\n", offset) + 1;
  return /^\s*(?:#|\/\/|\*|\/\*|<!--|;)/.test(text.slice(start, offset + 1));
}
