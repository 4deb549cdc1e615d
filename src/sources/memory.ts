import { MAX_READ_BYTES, type FileContent, type FileEntry, type Source, type Target } from "./source.js";

/** A tree held in memory: rule examples and tests. */
export class InMemorySource implements Source {
  readonly reads: string[][] = [];

  constructor(
    private readonly tree: Record<string, string>,
    readonly target: Target = { kind: "local", path: "(in memory)" },
  ) {}

  async listFiles(): Promise<FileEntry[]> {
    return Object.keys(this.tree).map((path) => ({ path, size: Buffer.byteLength(this.tree[path]!) }));
  }

  async readFiles(paths: readonly string[]): Promise<FileContent[]> {
    this.reads.push([...paths]);
    return paths.map((path): FileContent => {
      const text = this.tree[path];
      if (text === undefined) return { path, skipped: "missing" };
      if (Buffer.byteLength(text) > MAX_READ_BYTES) return { path, skipped: "too-large" };
      if (text.includes("\0")) return { path, skipped: "binary" };
      return { path, text };
    });
  }
}
