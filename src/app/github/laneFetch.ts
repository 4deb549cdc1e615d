import { WRITE_SPACING_MS } from "./throttleOptions.js";

/** Spaced slots per key: in Redis (redisLane.ts, shared by replicas) or in this process (memoryLane.ts). */
export interface WriteLanes {
  /** Resolves when this request may go: at least `spacingMs` after the previous release of lane `name` of `key`. */
  waitForSlot(name: string, key: string, spacingMs: number, warn: (message: string) => void): Promise<void>;
}

/**
 * An installation's write lane is taken here, in the client's `fetch`, right
 * before the request goes out, rather than in the throttling plugin's `write`
 * group. Between that group and the wire the plugin still queues a request in its `notifications` group (3 s apart for
 * new issues and comments) and its `global` group; a request released by the
 * write lane could wait there and then leave together with the next one (two
 * arrivals 30 ms apart were seen at the stand-in). Taken at the wire, the
 * lane spaces what GitHub receives, and every resend (the plugins' retries)
 * takes a slot again.
 *
 * Which requests: what the plugin puts in its write lane (and what GitHub's
 * per-actor guidance counts): every method but GET and HEAD, and every
 * GraphQL query; token requests are not (they go through the auth strategy's
 * own fetch, and are excluded here too).
 */
export interface LaneContext {
  lanes: WriteLanes;
  /** The lane's key: the installation id, or "app" for the app's own client. */
  id: string;
  log: { warn: (message: string) => void };
}

const AUTH_PATH = /\/(app\/installations\/[^/]+\/access_tokens|applications\/[^/]+\/token(\/scoped)?|login\/oauth\/access_token)$/;

export function isLaneRequest(method: string | undefined, url: string): boolean {
  const { pathname } = new URL(url, "http://github.invalid");
  if (pathname.endsWith("/graphql")) return true;
  const verb = (method ?? "GET").toUpperCase();
  return verb !== "GET" && verb !== "HEAD" && !AUTH_PATH.test(pathname);
}

/** Wrapped fetch → the fetch it wraps: Probot builds installation clients from the app client's options, so rewrap, never stack. */
const wrapped = new WeakMap<typeof fetch, typeof fetch>();

/** The fetch under a lane wrapper (or `fetch` itself), so a client built from another's options is wrapped (and counted) once. */
export function withoutLane(fetch: typeof globalThis.fetch | undefined): typeof globalThis.fetch | undefined {
  return (fetch && wrapped.get(fetch)) ?? fetch;
}

export function laneFetch(inner: typeof fetch, context: LaneContext): typeof fetch {
  const base = wrapped.get(inner) ?? inner;
  const fetchInLane: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : undefined);
    if (isLaneRequest(method, url)) await context.lanes.waitForSlot("write", context.id, WRITE_SPACING_MS, (message) => context.log.warn(message));
    return base(input, init);
  };
  wrapped.set(fetchInLane, base);
  return fetchInLane;
}
