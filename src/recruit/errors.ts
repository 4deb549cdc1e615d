import { statusOf } from "../sources/github/client.js";

export type RecruitErrorKind = "not-found" | "private" | "no-public-repos" | "rate-limited" | "unreachable" | "bad-target";

/**
 * What went wrong, as one sentence a recruiter can act on. Adapters print
 * `message` as it is (CLI: one line on stderr, exit 2; app: the reply).
 */
export class RecruitError extends Error {
  constructor(
    readonly kind: RecruitErrorKind,
    message: string,
    /** When a rate limit resets, for "rate-limited". */
    readonly resetAt?: Date,
  ) {
    super(message);
    this.name = "RecruitError";
  }
}

/** What was being read when an error came back, for the sentence. */
export type Subject = { kind: "repo"; owner: string; repo: string } | { kind: "user"; user: string };

function headerOf(err: unknown, name: string): string | undefined {
  const headers = (err as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers;
  const value = headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** "at 14:05 UTC (in 12 minutes)" */
export function resetPhrase(reset: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((reset.getTime() - now.getTime()) / 60_000));
  const hhmm = reset.toISOString().slice(11, 16);
  return `at ${hhmm} UTC (in ${minutes} minute${minutes === 1 ? "" : "s"})`;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET"]);

function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
  }
  return false;
}

function isRateLimit(err: unknown): boolean {
  const status = statusOf(err);
  if (status === 429) return true;
  if (status !== 403) return false;
  if (headerOf(err, "x-ratelimit-remaining") === "0") return true;
  return /rate limit/i.test((err as Error).message ?? "");
}

/** A GraphQL NOT_FOUND answer (the repository or user does not resolve). */
function isGraphqlNotFound(err: unknown): boolean {
  const errors = (err as { errors?: Array<{ type?: string }> } | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => e.type === "NOT_FOUND");
}

/**
 * Turns an Octokit error into a RecruitError with one clear sentence. Errors
 * that are not about reaching or reading GitHub (bugs) are returned as they are.
 */
export function classify(err: unknown, subject: Subject, opts: { authenticated: boolean }): unknown {
  if (err instanceof RecruitError) return err;
  const what = subject.kind === "repo" ? `repository ${subject.owner}/${subject.repo}` : `user @${subject.user}`;
  if (isRateLimit(err)) {
    const reset = Number(headerOf(err, "x-ratelimit-reset"));
    const retryAfter = Number(headerOf(err, "retry-after"));
    const at = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : Number.isFinite(retryAfter) && retryAfter > 0 ? new Date(Date.now() + retryAfter * 1000) : undefined;
    const when = at ? ` It resets ${resetPhrase(at)}.` : " Try again later.";
    const hint = opts.authenticated ? "" : " Set GITHUB_TOKEN for 5,000 requests an hour.";
    return new RecruitError("rate-limited", `GitHub's API rate limit is used up.${when}${hint}`, at);
  }
  const status = statusOf(err);
  if (status === 404 || status === 410 || isGraphqlNotFound(err)) {
    if (subject.kind === "user") return new RecruitError("not-found", `GitHub user @${subject.user} does not exist.`);
    // GitHub answers 404 for a private repository the caller cannot read, to hide that it exists.
    return new RecruitError("not-found", `Repository ${subject.owner}/${subject.repo} was not found: it does not exist, or it is private and cannot be read with ${opts.authenticated ? "this token" : "no token (set GITHUB_TOKEN)"}.`);
  }
  if (status === 401) return new RecruitError("private", `GitHub refused the token: it is invalid or expired (reading ${what}).`);
  if (status === 403 || status === 451) return new RecruitError("private", `The ${what} is private or blocked, and cannot be read with ${opts.authenticated ? "this token" : "no token"}.`);
  // Octokit reports a failed connection as status 500 with the network error as its cause.
  if (isNetworkError(err)) return new RecruitError("unreachable", "GitHub cannot be reached: check the network connection (or GITHUB_API_URL).");
  if (status !== undefined && status >= 500) return new RecruitError("unreachable", `GitHub is not answering (HTTP ${status}, after retries); try again later.`);
  return err;
}

/** Runs `fn`, turning GitHub errors about `subject` into RecruitErrors. */
export async function reading<T>(subject: Subject, authenticated: boolean, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classify(err, subject, { authenticated });
  }
}
