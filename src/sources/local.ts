import { spawn } from "node:child_process";
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readSync, type Dirent } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import { looksBinary, MAX_READ_BYTES, type FileContent, type FileEntry, type Source, type Target } from "./source.js";

/** Never descended into while walking: they never count as evidence and can be huge. */
const SKIP_DIRS = new Set([".git", "node_modules", ".venv", "venv", "site-packages", "bower_components", "__pycache__", ".tox"]);

/**
 * A directory on disk. In a git work tree the file list is what git tracks
 * (committed or staged: what a reviewer sees), from `git ls-files`, which is
 * fast on a 90,000-file tree; untracked files would need a full directory walk.
 * Elsewhere, one walk honouring .gitignore files.
 *
 * Symbolic links are never followed, in either mode: a tracked `Dockerfile`
 * that links to `~/.ssh/config` or `/etc/passwd` would otherwise put lines
 * from outside the audited folder into the report (as the GitHub sources
 * leave symlinks out too). Reads refuse them once more, for a work tree that
 * differs from its index.
 */
export class LocalDirectorySource implements Source {
  readonly target: Target;
  private readonly root: string;
  private readonly notesList: string[] = [];
  /** Folders (relative, POSIX) already checked to be real folders below the root, not links out of it. */
  private readonly realDirs = new Map<string, boolean>([["", true]]);

  constructor(dir: string) {
    this.root = resolve(dir);
    this.target = { kind: "local", path: this.root };
  }

  notes(): string[] {
    return this.notesList;
  }

  async listFiles(): Promise<FileEntry[]> {
    const fromGit = await this.gitFiles();
    if (fromGit) return fromGit;
    const out: FileEntry[] = [];
    await this.walk(this.root, [], out);
    return out;
  }

  /**
   * The file list as paths alone (the engine needs no sizes): in a git work
   * tree, one string per tracked regular file, decoded straight from git's
   * output, with no entry object around it.
   */
  async listPaths(): Promise<string[]> {
    const fromGit = await this.gitPaths();
    if (fromGit) return fromGit;
    const out: FileEntry[] = [];
    await this.walk(this.root, [], out);
    return out.map((f) => f.path);
  }

  private async gitFiles(): Promise<FileEntry[] | undefined> {
    return (await this.gitPaths())?.map((path) => ({ path }));
  }

  private async gitPaths(): Promise<string[] | undefined> {
    try {
      // Outside a work tree (no repository, a bare one, inside .git) ls-files fails: one command, not two.
      const out = await modedPaths(this.root);
      // A new repository with nothing added yet (or a clone whose index is empty): walk instead.
      return out.length > 0 ? out : undefined;
    } catch {
      return undefined; // no git, or not a work tree: walk instead
    }
  }

  private async walk(dir: string, rules: Array<{ base: string; ig: Ignore }>, out: FileEntry[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      this.notesList.push(`skipped folder ${this.rel(dir) || "."}: ${(err as NodeJS.ErrnoException).code ?? "unreadable"}`);
      return;
    }
    const gitignore = entries.find((e) => e.name === ".gitignore" && e.isFile());
    if (gitignore) {
      try {
        const text = await fs.readFile(join(dir, ".gitignore"), "utf8");
        rules = [...rules, { base: dir, ig: ignore().add(text) }];
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, e.name);
      // Dirent types come from lstat: a symbolic link is neither, so it is never followed (out of the folder, or round a loop).
      const isDir = e.isDirectory();
      const isFile = e.isFile();
      if (isDir && SKIP_DIRS.has(e.name)) continue;
      if (!isDir && !isFile) continue;
      if (rules.some(({ base, ig }) => ig.ignores(posix(relative(base, full)) + (isDir ? "/" : "")))) continue;
      if (isDir) await this.walk(full, rules, out);
      else out.push({ path: this.rel(full) });
    }
  }

  /** Whether every component of `dir` (relative, POSIX) is a real folder, not a symbolic link; one lstat per folder per audit. */
  private isRealDir(dir: string): boolean {
    const known = this.realDirs.get(dir);
    if (known !== undefined) return known;
    const slash = dir.lastIndexOf("/");
    let real = slash === -1 || this.isRealDir(dir.slice(0, slash));
    if (real) {
      try {
        real = lstatSync(join(this.root, ...dir.split("/"))).isDirectory();
      } catch {
        real = false;
      }
    }
    this.realDirs.set(dir, real);
    return real;
  }

  private rel(full: string): string {
    return posix(relative(this.root, full));
  }

  /**
   * Reads synchronously: for a thousand small files, one thread doing plain
   * syscalls beats queueing them on libuv's four-thread pool, and a CLI has
   * nothing else to do meanwhile.
   */
  async readFiles(paths: readonly string[]): Promise<FileContent[]> {
    return paths.map((p) => this.readOne(p));
  }

  private readOne(path: string): FileContent {
    const full = join(this.root, ...path.split("/"));
    let fd: number | undefined;
    try {
      const slash = path.lastIndexOf("/");
      if (slash !== -1 && !this.isRealDir(path.slice(0, slash))) return { path, skipped: "unreadable", reason: "in a symbolic link to a folder" };
      // O_NOFOLLOW: a symbolic link in place of a listed file fails to open (ELOOP) instead of being read through.
      // O_NONBLOCK: a named pipe in its place does not block the open (fstat then says it is not a regular file).
      fd = openSync(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
      const st = fstatSync(fd);
      if (!st.isFile()) return { path, skipped: "unreadable", reason: "not a regular file" };
      if (st.size > MAX_READ_BYTES) return { path, skipped: "too-large" };
      const bytes = Buffer.allocUnsafe(st.size);
      let read = 0;
      while (read < st.size) {
        const n = readSync(fd, bytes, read, st.size - read, read);
        if (n === 0) break;
        read += n;
      }
      const content = bytes.subarray(0, read);
      if (looksBinary(content)) return { path, skipped: "binary" };
      return { path, text: decoder.decode(content) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { path, skipped: "missing" };
      if (code === "ELOOP") return { path, skipped: "unreadable", reason: "a symbolic link" };
      return { path, skipped: "unreadable", reason: code ?? (err as Error).message };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * The regular files a `git ls-files -z` listing names, each record
 * "<mode>…\t<path>\0": only the path of a regular or executable file
 * (100644, 100755), not a symlink (120000) or submodule (160000), decoded from
 * the chunk as it arrives. Neither execFile nor one big string, nor a string
 * per record: execFile keeps its chunks for as long as the child object lives,
 * and paths sliced from a bigger string keep all of it alive; a 90,000-path
 * listing would sit in memory two or three times over to the end of the audit.
 * Unmerged paths are listed once per stage, one after another: kept once.
 */
function gitPaths(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { stdio: ["ignore", "pipe", "ignore"] });
    // Let, not const: the listeners' closures outlive the call (the child object does), and must not keep the paths.
    let paths: string[] = [];
    let last = "";
    let rest: Buffer | undefined;
    const record = (buf: Buffer, from: number, end: number): void => {
      const tab = buf.indexOf(TAB, from);
      if (tab === -1 || tab >= end) return;
      const path = buf.toString("utf8", tab + 1, end);
      if (path.length > 0 && path !== last && isRegularFileMode(buf, from)) paths.push(path);
      last = path;
    };
    child.stdout.on("data", (chunk: Buffer) => {
      let from = 0;
      let nul = chunk.indexOf(0);
      if (rest) {
        // A record split across chunks: join only its two pieces, not the whole chunk.
        if (nul === -1) {
          rest = Buffer.concat([rest, chunk]);
          return;
        }
        const whole = Buffer.concat([rest, chunk.subarray(0, nul)]);
        record(whole, 0, whole.length);
        rest = undefined;
        from = nul + 1;
        nul = chunk.indexOf(0, from);
      }
      for (; nul !== -1; nul = chunk.indexOf(0, from)) {
        record(chunk, from, nul);
        from = nul + 1;
      }
      if (from < chunk.length) rest = Buffer.from(chunk.subarray(from));
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (rest) record(rest, 0, rest.length);
      rest = undefined;
      const done = paths;
      paths = [];
      last = "";
      if (code === 0) resolve(done);
      else reject(new Error(`git ${args.join(" ")} exited with ${code}`));
    });
  });
}

const TAB = 0x09;

/**
 * Tracked regular files. `--format` (git 2.38+) prints the mode alone before
 * the path, a sixth of what `--stage` adds (the object id and stage), which on
 * a 90,000-file tree is megabytes less to read; older git gets `--stage`.
 */
async function modedPaths(root: string): Promise<string[]> {
  const base = ["-C", root, "-c", "core.quotepath=off", "ls-files", "-z", "--cached"];
  try {
    return await gitPaths([...base, "--format=%(objectmode)%x09%(path)"]);
  } catch {
    return await gitPaths([...base, "--stage"]);
  }
}

/** A record's mode names a regular or executable file: it starts with "100". */
function isRegularFileMode(buf: Buffer, from: number): boolean {
  return buf[from] === 0x31 && buf[from + 1] === 0x30 && buf[from + 2] === 0x30;
}

function posix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}
