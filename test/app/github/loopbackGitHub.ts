import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackGitHub {
  url: string;
  /** Each check-run request as it arrived: the owner it was for, and when (what GitHub's spacing rule looks at). */
  arrivals: Array<{ owner: string; at: number }>;
  close(): Promise<void>;
}

/** GitHub on a loopback socket: answers installation tokens and check runs, and notes when each check-run request arrived. */
export async function loopbackGitHub(): Promise<LoopbackGitHub> {
  const arrivals: Array<{ owner: string; at: number }> = [];
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    req.resume();
    req.on("end", () => {
      const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? "");
      const check = /^\/repos\/([^/]+)\/r\/check-runs$/.exec(req.url ?? "");
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && token) {
        res.writeHead(201).end(JSON.stringify({ token: `ghs_${token[1]}`, expires_at: "2999-01-01T00:00:00Z", permissions: {}, repository_selection: "all" }));
      } else if (req.method === "POST" && check) {
        arrivals.push({ owner: check[1]!, at });
        res.writeHead(201).end(JSON.stringify({ id: arrivals.length }));
      } else {
        res.writeHead(404).end(JSON.stringify({ message: "Not Found" }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
