import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * src/app/ stays in parts that import one way (docs: /work/shared/APP-LAYOUT.md,
 * "How the circle goes away"): no file imports itself back through others,
 * and no folder does. Type-only imports count too: a cycle of types is still
 * a part that cannot be read or tested without the others.
 */
const APP = resolve(dirname(fileURLToPath(import.meta.url)), "../../src/app");

type Graph = Map<string, Set<string>>;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Relative imports of one file as TypeScript reads them: `import`, `import type`, `export … from` and `import()`, never text in comments or strings. */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** src/app's files (paths relative to src/app) and the src/app files each imports; a relative import that names no file fails here. */
function appImportGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of tsFiles(APP)) {
    const from = relative(APP, file).split(sep).join("/");
    const to = new Set<string>();
    for (const spec of relativeImports(file)) {
      const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
      if (!existsSync(target)) throw new Error(`${from} imports ${spec}, which is not a file`);
      const rel = relative(APP, target);
      if (!rel.startsWith("..")) to.add(rel.split(sep).join("/"));
    }
    graph.set(from, to);
  }
  return graph;
}

/** Each folder under src/app and the folders its files import; a file at the top (settings.ts, index.ts) is a part of its own. */
function folderGraph(files: Graph): Graph {
  const folderOf = (f: string) => (f.includes("/") ? f.slice(0, f.indexOf("/") + 1) : f);
  const graph: Graph = new Map();
  for (const [from, tos] of files) {
    const edges = graph.get(folderOf(from)) ?? new Set<string>();
    for (const to of tos) if (folderOf(to) !== folderOf(from)) edges.add(folderOf(to));
    graph.set(folderOf(from), edges);
  }
  return graph;
}

/**
 * Every import circle, each as the path that walks it ("a → b → a"): one per
 * strongly connected component (Tarjan), found by a walk inside it, so a
 * failure names the files to untangle.
 */
function findCycles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return components.map((component) => cycleWithin(graph, new Set(component)));
}

/** A shortest way back to the component's first file (breadth-first, inside the component). */
function cycleWithin(graph: Graph, component: Set<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!component.has(w)) continue;
      if (w === start) {
        const between: string[] = [];
        for (let at = v; at !== start; at = previous.get(at)!) between.unshift(at);
        return [start, ...between, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const describeCycles = (cycles: string[][]) => cycles.map((c) => c.join(" → ")).join("\n");

describe("findCycles", () => {
  it("names each circle as the path that walks it", () => {
    const graph: Graph = new Map([
      ["jobs.ts", new Set(["runAudit.ts", "queue.ts"])],
      ["runAudit.ts", new Set(["queue.ts"])],
      ["queue.ts", new Set(["jobs.ts"])],
      ["self.ts", new Set(["self.ts"])],
      ["leaf.ts", new Set<string>()],
    ]);
    expect(describeCycles(findCycles(graph))).toBe("jobs.ts → queue.ts → jobs.ts\nself.ts → self.ts");
  });

  it("finds none in a graph that runs one way", () => {
    const graph: Graph = new Map([
      ["a.ts", new Set(["b.ts", "c.ts"])],
      ["b.ts", new Set(["c.ts"])],
      ["c.ts", new Set<string>()],
    ]);
    expect(findCycles(graph)).toEqual([]);
  });
});

describe("src/app layout", () => {
  const files = appImportGraph();

  it("reads the app's imports, type-only and dynamic ones included", () => {
    // Guards the reader: were it to see nothing, "no cycle" would prove nothing.
    expect(files.size).toBeGreaterThan(30);
    expect(files.get("index.ts")).toContain("backends.ts");
    expect(files.get("webhooks/handlers.ts")).toContain("jobs/types.ts"); // import type
    expect(files.get("backends.ts")).toContain("queue/bull.ts"); // await import()
  });

  it("has no import circle between files", () => {
    expect(describeCycles(findCycles(files)), "import circles in src/app").toBe("");
  });

  it("has no import circle between folders", () => {
    expect(describeCycles(findCycles(folderGraph(files))), "import circles between src/app's folders").toBe("");
  });
});
