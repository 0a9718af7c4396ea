import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { FormatSourceError } from "./errors";
import { revisionText, spliceBodies, type BodyName, type RenderedRevision } from "./revision";
import { fillShape, statementShape } from "./shapes";

/**
 * Formats generated source with the prettier config that applies to
 * `filePathForConfig` (the nearest .prettierrc, package.json "prettier" key or
 * .editorconfig), so revision files look like the rest of the project.
 *
 * Prettier runs in a worker thread: prettier 3's CommonJS entry loads its core
 * with a dynamic `import()`, which fails inside vm sandboxes such as Jest's,
 * and the thread can load prettier while the command is busy elsewhere.
 */
export async function formatSource(source: string, filePathForConfig: string): Promise<string> {
  try {
    return await formatInWorker(source, filePathForConfig);
  } catch (error) {
    throw new FormatSourceError(filePathForConfig, error);
  }
}

/** Below this size a revision is formatted whole; above it, each distinct statement shape once (see shapes.ts). */
export const LAYOUT_REUSE_FROM = 100_000;

export interface FormatRevisionOptions {
  layoutReuseFrom?: number;
  /** For tests: throw where the shapes do not fit back together instead of formatting the whole file. */
  strict?: boolean;
}

/**
 * Formats a rendered revision to exactly the text `formatSource` gives for the
 * whole file. A large revision formats its skeleton and each distinct
 * statement shape once, in one prettier call, and puts the statements back
 * together.
 */
export async function formatRevision(rendered: RenderedRevision, filePathForConfig: string, options: FormatRevisionOptions = {}): Promise<string> {
  const whole = revisionText(rendered);
  if (whole.length < (options.layoutReuseFrom ?? LAYOUT_REUSE_FROM) || whole.includes(SHAPE_SEPARATOR)) {
    return formatSource(whole, filePathForConfig);
  }
  const statements = [...rendered.bodies.upgrade, ...rendered.bodies.downgrade].map((lines) => statementShape(lines.join("\n")));
  const shapeIndex = new Map<string, number>();
  for (const { shape } of statements) if (!shapeIndex.has(shape)) shapeIndex.set(shape, shapeIndex.size);
  const shapesFile = `async function shapes() {\n${[...shapeIndex.keys()].map((shape) => `${SHAPE_SEPARATOR}\n${shape}`).join("\n")}\n}\n`;
  const [skeleton, shapes] = await Promise.all([formatSource(rendered.skeleton, filePathForConfig), formatSource(shapesFile, filePathForConfig)]);
  const eol = skeleton.includes("\r\n") ? "\r\n" : "\n";
  try {
    const formattedShapes = splitShapes(shapes, eol);
    if (formattedShapes.length !== shapeIndex.size) throw new Error(`prettier printed ${formattedShapes.length} statement shapes of ${shapeIndex.size}`);
    let next = 0;
    const formattedBody = (name: BodyName) =>
      rendered.bodies[name]
        .map(() => {
          const statement = statements[next++];
          return fillShape(formattedShapes[shapeIndex.get(statement.shape)!], statement.holes);
        })
        .join(eol);
    const upgrade = formattedBody("upgrade");
    const downgrade = formattedBody("downgrade");
    return spliceBodies(skeleton, (name) => (name === "upgrade" ? upgrade : downgrade));
  } catch (error) {
    // Never expected (tests run strict), but formatting the whole file is always right.
    if (options.strict) throw error;
    return formatSource(whole, filePathForConfig);
  }
}

const SHAPE_SEPARATOR = "// __retort_shape__";

/** The formatted statements between the separator comments, without the wrapping function's first and last line. */
function splitShapes(formatted: string, eol: string): string[] {
  const lines = formatted.split(eol);
  const body = lines.slice(1, lines.lastIndexOf("}"));
  const shapes: string[][] = [];
  for (const line of body) {
    if (line.trim() === SHAPE_SEPARATOR) shapes.push([]);
    else shapes[shapes.length - 1]?.push(line);
  }
  return shapes.map((lines) => lines.join(eol));
}

/**
 * Starts the formatter thread and loads prettier in it, so a command can pay
 * that cost (a few hundred ms) while it is busy elsewhere, e.g. introspecting.
 */
export function warmFormatter(filePathForConfig = join(process.cwd(), "revision.ts")): void {
  // It keeps the process alive until prettier has loaded (a command that writes nothing may wait for it): a thread
  // stopped in the middle of prettier's file reads aborts the whole process on Node 20 (an fs promise made while the
  // thread terminates fails a native assertion; seen once in CI as SIGABRT).
  formatInWorker("", filePathForConfig).catch(() => undefined);
}

/**
 * Terminates the formatter thread once its requests are answered (it is
 * unref'd when idle, so this is only needed to be tidy, e.g. in tests).
 */
export async function closeFormatter(): Promise<void> {
  const current = pooled;
  pooled = undefined;
  if (!current) return;
  // Never in the middle of a request: see warmFormatter.
  await current.idle();
  await current.worker.terminate();
}

interface Pending {
  resolve(text: string): void;
  reject(error: Error): void;
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Settles when no request is in flight. */
  idle(): Promise<void>;
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

let pooled: PooledWorker | undefined;
let nextId = 0;

function formatInWorker(source: string, filePath: string): Promise<string> {
  const current = (pooled ??= startWorker());
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    current.pending.set(id, { resolve, reject });
    // Keep the process alive only while a request is in flight.
    current.worker.ref();
    current.worker.postMessage({ id, prettierPath: require.resolve("prettier"), source, filePath });
  });
}

function startWorker(): PooledWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  let idleWaiters: Array<() => void> = [];
  const self: PooledWorker = {
    worker,
    pending: new Map(),
    idle: () => (self.pending.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  };
  const settle = (id: number, outcome: { text?: string; error?: { name?: string; message: string } }) => {
    const pending = self.pending.get(id);
    if (!pending) return;
    self.pending.delete(id);
    if (self.pending.size === 0) {
      worker.unref();
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
    if (outcome.error) pending.reject(Object.assign(new Error(outcome.error.message), { name: outcome.error.name ?? "Error" }));
    else pending.resolve(outcome.text ?? "");
  };
  worker.on("message", (message: { id: number; text?: string; error?: { name?: string; message: string } }) => settle(message.id, message));
  const failAll = (error: Error) => {
    if (pooled === self) pooled = undefined;
    for (const id of [...self.pending.keys()]) settle(id, { error: { name: error.name, message: error.message } });
  };
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`prettier worker exited with code ${code}`)));
  worker.unref();
  return self;
}
