// A stand-in job thread for the pool's tests: same messages as src/app/threads/thread.ts.
// Job keys say what the job does: "spin" never yields (CPU stuck in one unit of work),
// "hog" allocates until the thread runs out of memory, anything else answers after 100 ms.
import { parentPort } from "node:worker_threads";

const port = parentPort;
const counts = () => ({ audits: [], requests: {} });
const held = [];
port.on("message", ({ id, job }) => {
  if (job.key.startsWith("spin")) for (;;);
  if (job.key.startsWith("hog")) for (;;) held.push(new Array(100_000).fill(held.length));
  setTimeout(() => port.postMessage({ id, ok: true, counts: counts() }), 100);
});
port.postMessage({ ready: true });
