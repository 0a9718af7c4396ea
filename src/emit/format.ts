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
  const index = Math.min(slot, Math.max(availableParallelism(), 1) - 1);
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
