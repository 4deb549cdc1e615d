import { createHmac, timingSafeEqual } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** GitHub caps a webhook payload at 25 MB and does not send bigger ones. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

export interface DoorSettings {
  /** The webhook path (Probot's WEBHOOK_PATH, default /api/github/webhooks). */
  path: string;
  /** WEBHOOK_SECRET: with it, bodies whose signature does not match are refused here, never decoded or parsed. */
  secret: string | undefined;
  /** A body bigger than this is refused (413), from Content-Length or while streaming. */
  maxBodyBytes: number;
  /** Bytes of webhook bodies held at once (read, or declared and being read); past it, 429. */
  inFlightBytes: number;
  /** A body not received within this long is refused (408): GitHub itself gives up after 10 s. */
  readDeadlineMs: number;
  /** How long a refused connection stays open, unread, so that its sender can read the answer before the reset. */
  lingerMs: number;
}

export const DEFAULT_DOOR: Omit<DoorSettings, "path" | "secret"> = {
  maxBodyBytes: MAX_WEBHOOK_BODY_BYTES,
  // Two bodies of GitHub's largest size: one always fits, a flood of big bodies holds at most this.
  inFlightBytes: 2 * MAX_WEBHOOK_BODY_BYTES,
  readDeadlineMs: 10_000,
  lingerMs: 1_000,
};

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
export type Refusal = 400 | 408 | 413 | 429;

/**
 * The webhook door: POSTs to the webhook path are read here, before Probot's
 * middleware (which buffers a whole body, decodes it and only then checks the
 * signature). A body over `maxBodyBytes` is refused from its Content-Length
 * without reading it, or as soon as the bytes streamed pass the cap; the
 * bytes of all bodies being read share one budget, so a flood of unsigned
 * bodies holds at most `inFlightBytes`; the signature is hashed as the bytes
 * arrive and a body that does not match is refused without being decoded.
 * A signed body is handed on as `rawBody`, which @octokit/webhooks reads
 * instead of the stream (and checks again). Refusals that leave bytes unread
 * close the connection, so nothing reads the rest.
 */
export function webhookDoor(settings: DoorSettings, onRefused: (status: Refusal) => void = () => {}): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  let held = 0;
  return (req, res, next) => {
    if (req.method !== "POST" || pathOf(req.url) !== trimSlashes(settings.path)) return next();
    const refuse = (status: Refusal, message: string, unread: boolean): void => {
      onRefused(status);
      if (unread) return slam(req, status, message, settings.lingerMs);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: message }));
    };

    const declared = contentLength(req);
    if (declared !== undefined && declared > settings.maxBodyBytes) return refuse(413, `payload larger than ${settings.maxBodyBytes} bytes`, true);
    const signature = req.headers["x-hub-signature-256"];
    if (settings.secret !== undefined && typeof signature !== "string") return refuse(400, "Required headers missing: x-hub-signature-256", true);
    if (held + (declared ?? 0) > settings.inFlightBytes) return refuse(429, "too many webhook bodies at once; try again", true);

    let reserved = declared ?? 0;
    held += reserved;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      held -= reserved;
    };

    const hmac = settings.secret !== undefined ? createHmac("sha256", settings.secret) : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(deadline);
      req.off("data", onData);
    };
    const deadline = setTimeout(() => {
      finish();
      release();
      refuse(408, "request body not received in time", true);
    }, settings.readDeadlineMs);
    const onData = (chunk: Buffer): void => {
      if (done) return;
      received += chunk.length;
      if (received > settings.maxBodyBytes) {
        finish();
        release();
        chunks.length = 0;
        return refuse(413, `payload larger than ${settings.maxBodyBytes} bytes`, true);
      }
      if (received > reserved) {
        // A chunked body (or one longer than it said): it takes budget as it grows.
        if (held + (received - reserved) > settings.inFlightBytes) {
          finish();
          release();
          chunks.length = 0;
          return refuse(429, "too many webhook bodies at once; try again", true);
        }
        held += received - reserved;
        reserved = received;
      }
      hmac?.update(chunk);
      chunks.push(chunk);
    };
    req.on("data", onData);
    // The body stays held (decoded, parsed, handled) until the answer is sent or the client goes away.
    res.once("close", () => {
      finish();
      release();
    });
    req.once("end", () => {
      if (done) return;
      finish();
      if (hmac && !signatureMatches(hmac.digest(), signature as string)) {
        release();
        chunks.length = 0;
        return refuse(400, "signature does not match event payload and secret", false);
      }
      // Read by @octokit/webhooks' getPayload instead of the (now finished) stream.
      Object.assign(req, { body: {}, rawBody: Buffer.concat(chunks, received) });
      chunks.length = 0;
      next();
    });
  };
}

/**
 * Puts `door` in front of every "request" listener of the HTTP servers of
 * this process. Probot's `run()` builds its server and listens without
 * handing it out, and runs its webhook middleware before any `addHandler`
 * handler; Node publishes `http.server.request.start` (with the server)
 * before it emits "request", so the first request swaps the listeners and
 * is itself the first to go through the door.
 */
export function guardRequests(door: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): void {
  const guarded = new WeakSet<Server>();
  subscribe("http.server.request.start", (message) => {
    const { server } = message as { server: Server };
    if (guarded.has(server)) return;
    guarded.add(server);
    const listeners = server.listeners("request") as Listener[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      door(req, res, () => {
        for (const listener of listeners) listener.call(server, req, res);
      });
    });
  });
}

/**
 * Answers on the socket itself and reads nothing more: Node's own response
 * would, once finished, read the rest of the body to discard it (up to the
 * whole declared length). The socket stops reading, sends the answer and its
 * end, and is destroyed after `lingerMs`: closing at once would reset the
 * connection while the sender still writes, and its system could drop the
 * answer unread.
 */
function slam(req: IncomingMessage, status: Refusal, message: string, lingerMs: number): void {
  const socket = req.socket;
  socket.pause();
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: message });
  const retry = status === 429 ? "Retry-After: 1\r\n" : "";
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}Connection: close\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), lingerMs).unref();
}

function signatureMatches(digest: Buffer, header: string): boolean {
  const given = Buffer.from(header.replace(/^sha256=/, ""), "hex");
  return header.startsWith("sha256=") && given.length === digest.length && timingSafeEqual(given, digest);
}

function contentLength(req: IncomingMessage): number | undefined {
  const raw = req.headers["content-length"];
  if (raw === undefined) return undefined;
  // Node's parser has already refused a malformed Content-Length.
  return Number(raw);
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, "") || "/";
}

function pathOf(url: string | undefined): string {
  try {
    return trimSlashes(new URL(url ?? "/", "http://localhost").pathname);
  } catch {
    return "";
  }
}
