import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { shieldsEndpoint, type ShieldsEndpoint } from "../../report/badge.js";
import { STYLESHEET, STYLESHEET_PATH as CSS_PATH } from "../../report/html/layout.js";
import { renderStatusPage } from "../../report/html/notFoundPage.js";
import { renderPortfolioPage } from "../../report/html/portfolioPage.js";
import { renderReportPage } from "../../report/html/reportPage.js";
import type { AuditSummary, StoredAudit } from "../../report/stored.js";
import { renderBadgeSvg } from "../../report/svg/badge.js";
import { renderHistorySvg } from "../../report/svg/history.js";
import { pageLinks } from "./links.js";
import { ClientRateLimit } from "./rateLimit.js";
import type { PagesSettings } from "./settings.js";
import { ownerKey, repoKey } from "./store/policy.js";
import type { ReportStore } from "./store/types.js";

/** How long readers and caches may keep what the pages serve. Badges for minutes, as shields.io and GitHub's image proxy expect. */
export const CACHE_SECONDS = { badge: 300, history: 300, page: 60, portfolio: 60, css: 86_400 } as const;
/** Repositories a portfolio page shows (highest scores first). */
export const PORTFOLIO_REPOS = 30;
/** Renders kept in memory, keyed by what they were rendered from; a new audit changes the key. */
const RENDER_CACHE_ENTRIES = 2_000;
const RENDER_CACHE_BYTES = 64 * 1024 * 1024;

const HTML_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// An SVG opened on its own is a document: it may style itself and nothing else.
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

type Kind = "page" | "history" | "badge-svg" | "badge-json" | "portfolio" | "css";
interface Route {
  kind: Kind;
  owner: string;
  repo: string;
}
interface Rendered {
  etag: string;
  body: Buffer;
  type: string;
}
export interface PagesLog {
  warn(obj: object, msg: string): void;
}

/**
 * The app's public pages, as a Probot `addHandler` handler: the report page
 * of a repository's default branch, its history chart, its badges (SVG and
 * shields.io's endpoint JSON) and an owner's portfolio page. Everything comes
 * from the store (audits the app kept), never from GitHub; only public
 * repositories are ever stored, and anything else (private, unknown, a
 * malformed name) gets one and the same 404. Paths that are not the pages'
 * are left to the next handler (webhooks, /metrics, Probot's own).
 */
export function createPagesHandler(options: { store: ReportStore; settings: PagesSettings; log?: PagesLog }): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { store, settings, log } = options;
  const limit = new ClientRateLimit(settings.ratePerSecond, settings.burst);
  const cache = new RenderCache(RENDER_CACHE_ENTRIES, RENDER_CACHE_BYTES);
  const base = settings.publicUrl ?? "";
  const css = rendered(Buffer.from(STYLESHEET), "text/css; charset=utf-8");

  return async (req, res) => {
    const route = routeOf(req.url ?? "");
    if (route === null) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(req, res, 405, { allow: "GET, HEAD", ...htmlHeaders(), "cache-control": "no-store" }, statusPage(405, "Method not allowed", "These pages can only be read."));
      return true;
    }
    const wait = limit.take(clientOf(req, settings.trustProxy));
    if (wait > 0) {
      send(req, res, 429, { "retry-after": String(wait), ...htmlHeaders(), "cache-control": "no-store" }, statusPage(429, "Too many requests", `Slow down: try again in ${wait} s.`));
      return true;
    }
    if (route === undefined) return notFound(req, res);
    try {
      const out = route.kind === "css" ? css : route.kind === "portfolio" ? await portfolio(route.owner) : await repository(route);
      if (!out) return notFound(req, res);
      const headers = { "content-type": out.type, etag: out.etag, "cache-control": `public, max-age=${CACHE_SECONDS[cacheClass(route.kind)]}`, ...securityHeaders(out.type) };
      if (fresh(req, out.etag)) send(req, res, 304, headers);
      else send(req, res, 200, headers, out.body);
    } catch (err) {
      log?.warn({ err, path: req.url }, "skillproof: a report page could not be read from the store");
      send(req, res, 503, { ...htmlHeaders(), "cache-control": "no-store", "retry-after": "5" }, statusPage(503, "Unavailable", "The reports cannot be read right now. Try again shortly."));
    }
    return true;
  };

  async function repository({ kind, owner, repo }: Route): Promise<Rendered | undefined> {
    const summary = await store.summary(owner, repo);
    if (!summary) return undefined;
    const version = `${summary.commit}|${summary.auditedAt}|${summary.score}`;
    const key = `${kind}:${owner}/${repo}`.toLowerCase();
    const hit = cache.get(key, version);
    if (hit) return hit;
    let out: Rendered | undefined;
    if (kind === "badge-svg") out = rendered(Buffer.from(renderBadgeSvg(summary.score)), "image/svg+xml; charset=utf-8");
    else if (kind === "badge-json") out = rendered(Buffer.from(JSON.stringify(shields(summary))), "application/json; charset=utf-8");
    else if (kind === "history") out = rendered(Buffer.from(renderHistorySvg(await store.history(owner, repo))), "image/svg+xml; charset=utf-8");
    else {
      const [audit, history] = await Promise.all([store.latest(owner, repo), store.history(owner, repo)]);
      if (!audit) return undefined;
      const links = pageLinks(base, audit.owner, audit.repo);
      const local = pageLinks("", audit.owner, audit.repo);
      const html = renderReportPage(audit, history, {
        githubUrl: settings.githubUrl,
        css: CSS_PATH,
        badgeSvg: links.badgeSvg,
        // The page's own image loads from its own origin, whatever address the reader came by (img-src 'self').
        badgeImage: local.badgeSvg,
        badgeJson: links.badgeJson,
        historySvg: local.historySvg,
        portfolio: local.portfolio,
        self: links.page,
      });
      out = rendered(Buffer.from(html), "text/html; charset=utf-8");
    }
    cache.set(key, version, out);
    return out;
  }

  async function portfolio(owner: string): Promise<Rendered | undefined> {
    const summaries = await store.ownerRepos(owner, PORTFOLIO_REPOS);
    if (summaries.length === 0) return undefined;
    const version = summaries.map((s) => `${s.repo}|${s.commit}|${s.auditedAt}|${s.score}`).join(";");
    const key = `portfolio:${owner}`.toLowerCase();
    const hit = cache.get(key, version);
    if (hit) return hit;
    const audits = (await Promise.all(summaries.map((s) => store.latest(s.owner, s.repo)))).filter((a): a is StoredAudit => a !== undefined);
    if (audits.length === 0) return undefined;
    const html = renderPortfolioPage(audits[0]!.owner, audits, {
      githubUrl: settings.githubUrl,
      css: CSS_PATH,
      repoPage: (o, r) => pageLinks("", o, r).page,
      badgeSvg: (o, r) => pageLinks("", o, r).badgeSvg,
    });
    const out = rendered(Buffer.from(html), "text/html; charset=utf-8");
    cache.set(key, version, out);
    return out;
  }
}

/** null: not one of the pages' paths; undefined: a pages path naming nothing that can exist (answered 404). */
export function routeOf(url: string): Route | null | undefined {
  const path = url.split("?", 1)[0]!;
  if (path === CSS_PATH) return { kind: "css", owner: "", repo: "" };
  if (!/^\/(?:r|badge|u)(?:\/|$)/.test(path)) return null;
  if (path.length > 300) return undefined;
  const parts = path.split("/").slice(1);
  if (parts.at(-1) === "" && parts.length > 2) parts.pop(); // a trailing slash
  let segments: string[];
  try {
    segments = parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  const [top, a = "", b = "", c, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (top === "u") return b === "" && c === undefined && ownerKey(a) !== undefined ? { kind: "portfolio", owner: a, repo: "" } : undefined;
  if (top === "badge" && c === undefined) {
    const m = /^(.+)\.(svg|json)$/.exec(b);
    return m && named(a, m[1]!) ? { kind: m[2] === "svg" ? "badge-svg" : "badge-json", owner: a, repo: m[1]! } : undefined;
  }
  if (top === "r" && named(a, b)) {
    if (c === undefined) return { kind: "page", owner: a, repo: b };
    if (c === "history.svg") return { kind: "history", owner: a, repo: b };
  }
  return undefined;
}

/** Names GitHub allows, by the store's own rule: anything else cannot exist, and never reaches the store. */
function named(owner: string, repo: string): boolean {
  return repoKey(owner, repo) !== undefined;
}

function cacheClass(kind: Kind): keyof typeof CACHE_SECONDS {
  return kind === "badge-svg" || kind === "badge-json" ? "badge" : kind;
}

function shields(summary: AuditSummary): ShieldsEndpoint & { cacheSeconds: number } {
  return { ...shieldsEndpoint(summary.score), cacheSeconds: CACHE_SECONDS.badge };
}

/** The client a rate limit counts: the socket's address, or behind a trusted proxy the address it saw. */
function clientOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const last = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").at(-1)?.trim();
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress ?? "unknown";
}

/**
 * The ETag is the body's own hash, so a new release whose renderer or stylesheet changed never
 * answers 304 to a reader holding the old output. A render is hashed once: renders are cached.
 */
function rendered(body: Buffer, type: string): Rendered {
  const etag = `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
  return { etag, body, type };
}

function fresh(req: IncomingMessage, etag: string): boolean {
  const match = req.headers["if-none-match"];
  if (!match) return false;
  return match
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}

function securityHeaders(type: string): Record<string, string> {
  const common = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
  if (type.startsWith("text/html")) return { ...common, "content-security-policy": HTML_CSP, "x-frame-options": "DENY" };
  if (type.startsWith("image/svg")) return { ...common, "content-security-policy": SVG_CSP, "access-control-allow-origin": "*" };
  if (type.startsWith("application/json")) return { ...common, "access-control-allow-origin": "*" };
  return common;
}

function htmlHeaders(): Record<string, string> {
  return { "content-type": "text/html; charset=utf-8", ...securityHeaders("text/html") };
}

function statusPage(status: number, title: string, message: string): Buffer {
  return Buffer.from(renderStatusPage(status, title, message));
}

const NOT_FOUND = statusPage(404, "Not found", "There is no public skillproof report here.");

function notFound(req: IncomingMessage, res: ServerResponse): true {
  // One answer for unknown, private, removed and malformed: nothing tells them apart.
  send(req, res, 404, { ...htmlHeaders(), "cache-control": "no-cache" }, NOT_FOUND);
  return true;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer): void {
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(status, headers);
  res.end(req.method === "HEAD" || status === 304 ? undefined : body);
}

/** Renders by key, valid while the version they were rendered from is current; least recently used dropped past the caps. */
class RenderCache {
  private readonly entries = new Map<string, { version: string; out: Rendered }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string, version: string): Rendered | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.out;
  }

  set(key: string, version: string, out: Rendered): void {
    this.drop(key);
    this.entries.set(key, { version, out });
    this.bytes += out.body.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) this.drop(this.entries.keys().next().value!);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.out.body.length;
    this.entries.delete(key);
  }
}
