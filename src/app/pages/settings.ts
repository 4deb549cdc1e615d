import { isAbsolute, resolve } from "node:path";

/**
 * How the app serves its report pages and badges (src/app/pages), read from
 * the environment once at start-up. Job threads read the same environment.
 */
export interface PagesSettings {
  /**
   * The app's public address (SKILLPROOF_PUBLIC_URL, e.g. https://skillproof.example.org), without a trailing slash.
   * Without it the app still serves pages, but cannot link to them: check runs and report issues carry no page link or badge snippet.
   */
  publicUrl: string | undefined;
  /** Where audits are kept without Redis (SKILLPROOF_DATA_DIR, default ./data): the store writes under its `pages/` folder. */
  dataDir: string;
  /** Requests a second one client may make to the pages, sustained (SKILLPROOF_PAGES_RATE). */
  ratePerSecond: number;
  /** Requests one client may make at once before the rate applies (SKILLPROOF_PAGES_BURST). */
  burst: number;
  /**
   * Take the client's address from the last X-Forwarded-For hop (SKILLPROOF_TRUST_PROXY=1): only behind a
   * reverse proxy that sets it, since anyone else can write that header.
   */
  trustProxy: boolean;
  /** Where evidence links point: https://github.com, or the GHE_HOST's web address. */
  githubUrl: string;
}

export function readPagesSettings(env: NodeJS.ProcessEnv, cwd = process.cwd()): PagesSettings {
  const dir = env.SKILLPROOF_DATA_DIR || "data";
  return {
    publicUrl: publicUrl(env.SKILLPROOF_PUBLIC_URL),
    dataDir: isAbsolute(dir) ? dir : resolve(cwd, dir),
    // A README badge is fetched through GitHub's image proxy, many readers behind few addresses: the default is generous.
    ratePerSecond: positive(env, "SKILLPROOF_PAGES_RATE", 50),
    burst: positive(env, "SKILLPROOF_PAGES_BURST", 200),
    trustProxy: env.SKILLPROOF_TRUST_PROXY === "1" || env.SKILLPROOF_TRUST_PROXY === "true",
    githubUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}` : "https://github.com",
  };
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`SKILLPROOF_PUBLIC_URL must be an http(s) address, got "${raw}"`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash || url.username || url.password) {
    throw new RangeError(`SKILLPROOF_PUBLIC_URL must be a plain http(s) address (no query, fragment or credentials), got "${raw}"`);
  }
  return url.href.replace(/\/+$/, "");
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number, got "${raw}"`);
  return n;
}
