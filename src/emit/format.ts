import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { FormatSourceError } from "./errors";

/**
 * Formats generated source with the prettier config that applies to
 * `filePathForConfig` (the nearest .prettierrc, package.json "prettier" key or
 * .editorconfig), so revision files look like the rest of the project.
 *
 * Prettier runs in worker threads: prettier 3's CommonJS entry loads its core
 * with a dynamic `import()`, which fails inside vm sandboxes such as Jest's,
 * and a large initial revision formats its upgrade and downgrade in parallel.
 */
export async function formatSource(source: string, filePathForConfig: string): Promise<string> {
  const chunked = source.length >= SPLIT_THRESHOLD ? chunkBodies(source, workerCount()) : undefined;
  if (chunked) {
    const formatted = await formatChunked(chunked, filePathForConfig);
    if (formatted !== undefined) return formatted;
  }
  return formatParts(splitAtDowngrade(source), filePathForConfig);
}

/** `formatSource` without the parallel split (the reference the split must match). */
export function formatWhole(source: string, filePathForConfig: string): Promise<string> {
  return formatParts([source], filePathForConfig);
}

async function formatParts(parts: string[], filePathForConfig: string): Promise<string> {
  try {
    const formatted = await Promise.all(parts.map((part, i) => formatInWorker(i, part, filePathForConfig)));
    return formatted.join("\n");
  } catch (error) {
    throw new FormatSourceError(filePathForConfig, error);
  }
}

/**
 * Starts the formatter thread and loads prettier in it, so a command can pay
 * that cost (a few hundred ms) while it is busy elsewhere, e.g. introspecting.
 */
export function warmFormatter(filePathForConfig = join(process.cwd(), "revision.ts")): void {
  formatInWorker(0, "", filePathForConfig).catch(() => undefined);
}

/** Terminates the formatter threads (they are unref'd, so this is only needed to be tidy, e.g. in tests). */
export async function closeFormatter(): Promise<void> {
  const workers = pool.splice(0);
  await Promise.all(workers.map((w) => w.worker.terminate()));
}

// Below this size one thread is faster than two (a thread costs ~100 ms to load prettier).
const SPLIT_THRESHOLD = 200_000;
const DOWNGRADE_START = /^export async function downgrade\(/m;

/**
 * Top-level statements are formatted independently of each other, so the
 * file before `downgrade()` and `downgrade()` itself format to the same text
 * apart as together (joined by the blank line prettier keeps between them).
 */
function splitAtDowngrade(source: string): string[] {
  if (source.length < SPLIT_THRESHOLD) return [source];
  const match = DOWNGRADE_START.exec(source);
  if (!match) return [source];
  return [source.slice(0, match.index), source.slice(match.index)];
}

const BODY_START = /^export async function (upgrade|downgrade)\(.*\{$/;
// What renderRevisionSource writes in a body: one statement per line, comments on their own lines.
const BODY_LINE = /^[ \t]+(\/\/.*|await op\.\w+\(.*\);)$/;
const CHUNK_FUNCTION = "async function __retort_chunk__() {";
const CHUNK_MARKER = "// __retort_chunks__:";

interface Chunked {
  /** The source with each chunked body replaced by one marker comment. */
  skeleton: string;
  /** Per body name, its statements cut into pieces of similar size. */
  pieces: Map<string, string[][]>;
}

/**
 * Cuts the upgrade and downgrade bodies of a large generated revision into
 * `count` pieces each of similar size, at statement boundaries (a comment stays
 * with the statement below it). Prettier formats the statements of a block
 * independently of each other, so each piece, formatted inside a stand-in
 * function at the same depth, prints exactly as it would in the whole file;
 * a 1000-table initial revision is almost all one body, which halving the
 * file at `downgrade()` does not balance. Undefined when the source is not
 * shaped the way renderRevisionSource writes it.
 */
export function chunkBodies(source: string, count: number): Chunked | undefined {
  if (count < 2) return undefined;
  const lines = source.split("\n");
  const out: string[] = [];
  const pieces = new Map<string, string[][]>();
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const start = BODY_START.exec(lines[i]);
    if (!start) continue;
    const end = lines.indexOf("}", i + 1);
    if (end < 0) return undefined;
    const body = lines.slice(i + 1, end);
    if (!body.every((line) => BODY_LINE.test(line))) return undefined;
    const groups = statementGroups(body);
    if (groups.length < count) continue;
    pieces.set(start[1], balance(groups, count));
    out.push(`${body[0].match(/^[ \t]+/)![0]}${CHUNK_MARKER}${start[1]}`);
    i = end - 1;
  }
  return pieces.size > 0 ? { skeleton: out.join("\n"), pieces } : undefined;
}

/** Each statement with the comment lines above it; trailing comments join the last statement. */
function statementGroups(body: string[]): string[][] {
  const groups: string[][] = [];
  let pending: string[] = [];
  for (const line of body) {
    pending.push(line);
    if (!line.trimStart().startsWith("//")) {
      groups.push(pending);
      pending = [];
    }
  }
  if (pending.length && groups.length) groups[groups.length - 1].push(...pending);
  else if (pending.length) groups.push(pending);
  return groups;
}

function balance(groups: string[][], count: number): string[][] {
  const total = groups.reduce((sum, g) => sum + g.reduce((n, line) => n + line.length, 0), 0);
  const pieces: string[][] = [[]];
  let size = 0;
  for (const group of groups) {
    const length = group.reduce((n, line) => n + line.length, 0);
    if (size >= total / count && pieces.length < count) {
      pieces.push([]);
      size = 0;
    }
    pieces[pieces.length - 1].push(...group);
    size += length;
  }
  return pieces;
}

/** The formatted statements of one piece: the stand-in function's lines without its first and last. */
function pieceBody(formatted: string): string | undefined {
  const match = /^async function __retort_chunk__\(\) \{(\r?\n)([\s\S]*?\r?\n)\}\r?\n$/.exec(formatted);
  return match?.[2];
}

async function formatChunked(chunked: Chunked, filePath: string): Promise<string | undefined> {
  const workers = workerCount();
  let slot = 0;
  const jobs: Array<Promise<string>> = [];
  const order: Array<[string, number]> = [];
  for (const [name, list] of chunked.pieces) {
    list.forEach((piece, i) => {
      order.push([name, i]);
      jobs.push(formatInWorker(slot++ % workers, `${CHUNK_FUNCTION}\n${piece.join("\n")}\n}\n`, filePath));
    });
  }
  let results: string[];
  let skeleton: string;
  try {
    [skeleton, ...results] = await Promise.all([formatInWorker(slot % workers, chunked.skeleton, filePath), ...jobs]);
  } catch (error) {
    throw new FormatSourceError(filePath, error);
  }
  const bodies = new Map<string, string>();
  for (let k = 0; k < order.length; k++) {
    const inner = pieceBody(results[k]);
    if (inner === undefined) return undefined;
    bodies.set(order[k][0], (bodies.get(order[k][0]) ?? "") + inner);
  }
  let complete = true;
  const text = skeleton.replace(/^[ \t]*\/\/ __retort_chunks__:(upgrade|downgrade)\r?\n/gm, (_line, name: string) => {
    const body = bodies.get(name);
    if (body === undefined) complete = false;
    return body ?? "";
  });
  return complete && bodies.size === chunked.pieces.size ? text : undefined;
}

function workerCount(): number {
  return Math.max(availableParallelism(), 1);
}

interface Pending {
  resolve(text: string): void;
  reject(error: Error): void;
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", async ({ id, prettierPath, source, filePath }) => {
  try {
    const prettier = require(prettierPath);
    await prettier.clearConfigCache();
    const config = (await prettier.resolveConfig(filePath, { editorconfig: true })) || {};
    const text = await prettier.format(source, { ...config, filepath: filePath, parser: "babel-ts" });
    parentPort.postMessage({ id, text });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error && error.name, message: error && error.message ? error.message : String(error) } });
  }
});
`;

const pool: PooledWorker[] = [];
let nextId = 0;

function formatInWorker(slot: number, source: string, filePath: string): Promise<string> {
  const pooled = workerFor(slot);
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    pooled.pending.set(id, { resolve, reject });
    // Keep the process alive only while a request is in flight.
    pooled.worker.ref();
    pooled.worker.postMessage({ id, prettierPath: require.resolve("prettier"), source, filePath });
  });
}

function workerFor(slot: number): PooledWorker {
  const index = Math.min(slot, workerCount() - 1);
  pool[index] ??= startWorker(index);
  return pool[index];
}

function startWorker(index: number): PooledWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const pooled: PooledWorker = { worker, pending: new Map() };
  const settle = (id: number, outcome: { text?: string; error?: { name?: string; message: string } }) => {
    const pending = pooled.pending.get(id);
    if (!pending) return;
    pooled.pending.delete(id);
    if (pooled.pending.size === 0) worker.unref();
    if (outcome.error) pending.reject(Object.assign(new Error(outcome.error.message), { name: outcome.error.name ?? "Error" }));
    else pending.resolve(outcome.text ?? "");
  };
  worker.on("message", (message: { id: number; text?: string; error?: { name?: string; message: string } }) => settle(message.id, message));
  const failAll = (error: Error) => {
    if (pool[index] === pooled) delete pool[index];
    for (const id of [...pooled.pending.keys()]) settle(id, { error: { name: error.name, message: error.message } });
  };
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`prettier worker exited with code ${code}`)));
  worker.unref();
  return pooled;
}
