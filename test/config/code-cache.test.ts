/**
 * V8 code caches for plain CommonJS modules (src/config/code-cache.js): a
 * module run from a cache must behave as Node runs it, an edited file must
 * never run from the cache of its old code, and a cache V8 rejects is
 * replaced. Each run is a separate Node process (jest has its own loader).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CODE_CACHE = join(__dirname, "..", "..", "src", "config", "code-cache.js");
/** Plain modules under 8192 characters compile without a cache (code-cache.js MIN_PLAIN_LENGTH); the fixtures are above it. */
const PADDING = `\n// ${"padding ".repeat(1100)}\n`;

const PROBE = `"use strict";
const dep = require("./dep");
const where = new Error("where").stack.split("\\n")[1].trim();
module.exports = {
  where,
  filename: __filename,
  dirname: __dirname,
  paths: module.paths,
  resolved: require.resolve("./dep"),
  lookup: require.resolve.paths("some-package"),
  sameCache: require.cache[__filename] === module,
  thisIsExports: this === module.exports,
  value: dep.value,
  answer: function () { return "A"; },
  inner() { return new Error("inner").stack.split("\\n")[1].trim(); },
};
${PADDING}`;

describe("code cache of plain JavaScript", () => {
  let dir: string;
  let cacheDir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-code-cache-"));
    cacheDir = join(dir, "cache");
    mkdirSync(join(dir, "lib"));
    mkdirSync(join(dir, "esm"));
    writeFileSync(join(dir, "lib", "probe.js"), PROBE);
    writeFileSync(join(dir, "lib", "dep.js"), `exports.value = 42;\n${PADDING}`);
    writeFileSync(join(dir, "lib", "small.js"), `exports.small = true;\n`);
    writeFileSync(join(dir, "lib", "throws.js"), `"use strict";\n\nfunction fail() {\n  throw new Error("boom");\n}\nfail();\n${PADDING}`);
    writeFileSync(join(dir, "lib", "broken.js"), `"use strict";\nconst x = ;\n${PADDING}`);
    writeFileSync(join(dir, "esm", "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(dir, "esm", "mod.js"), `export const kind = typeof require;\n`);
    writeFileSync(
      join(dir, "run.js"),
      `if (process.env.HOOK) require(${JSON.stringify(CODE_CACHE)}).cachePlainJavaScript(${JSON.stringify(cacheDir)});
const probe = require("./lib/probe.js");
const out = { ...probe, answer: probe.answer(), inner: probe.inner(), small: require("./lib/small.js").small };
for (const name of ["throws", "broken"]) {
  try { require("./lib/" + name + ".js"); } catch (error) { out[name] = [error.constructor.name, error.message, String(error.stack).split("\\n").slice(0, 2).join("|")]; }
}
try { out.esm = require("./esm/mod.js").kind; } catch (error) { out.esm = error.code || error.constructor.name; }
process.stdout.write(JSON.stringify(out));
`,
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (hook: boolean) => {
    const result = spawnSync(process.execPath, [join(dir, "run.js")], { cwd: dir, encoding: "utf8", env: { ...process.env, HOOK: hook ? "1" : "" } });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };
  const codeCaches = () => readdirSync(cacheDir).filter((f) => f.endsWith(".v8"));

  test("a module run from its code cache sees what Node gives it: names, lines, require, errors", () => {
    const node = run(false);
    expect(node.answer).toBe("A");
    expect(node.small).toBe(true);
    expect((node.throws as string[])[2]).toContain(`${join(dir, "lib", "throws.js")}:4:`);
    expect((node.broken as string[])[0]).toBe("SyntaxError");
    expect(node.where).toContain(`${join(dir, "lib", "probe.js")}:3:`);
    const first = run(true);
    // probe, dep and throws got a cache at exit; not run.js (the main module), small.js (too small to pay) or the ES module.
    expect(codeCaches()).toHaveLength(3);
    const written = new Map(codeCaches().map((f) => [f, statSync(join(cacheDir, f)).mtimeMs]));
    const second = run(true);
    expect(first).toEqual(node);
    expect(second).toEqual(node);
    // The second run used the caches as they were: none was rejected and written again.
    for (const [f, mtime] of written) expect(statSync(join(cacheDir, f)).mtimeMs).toBe(mtime);
  });

  test("an edited file never runs from the cache of its old code, even at the same length", () => {
    run(true);
    run(true);
    expect(run(true).answer).toBe("A");
    writeFileSync(join(dir, "lib", "probe.js"), PROBE.replace('return "A"', 'return "B"'));
    expect(run(true).answer).toBe("B");
    expect(run(true).answer).toBe("B");
  });

  test("the same file in two folders: each names its own path", () => {
    run(true);
    const copy = join(dir, "lib2");
    mkdirSync(copy);
    for (const f of ["probe.js", "dep.js"]) writeFileSync(join(copy, f), readFileSync(join(dir, "lib", f)));
    writeFileSync(join(dir, "run.js"), readFileSync(join(dir, "run.js"), "utf8").replace('require("./lib/probe.js")', 'require("./lib2/probe.js")'));
    const moved = run(true);
    expect(moved.where).toContain(`${join(copy, "probe.js")}:3:`);
    expect(moved.inner).toContain(`${join(copy, "probe.js")}:`);
  });

  test("a cache folder that cannot be made costs only speed", () => {
    const node = run(false);
    writeFileSync(join(dir, "not-a-folder"), "");
    writeFileSync(join(dir, "run.js"), readFileSync(join(dir, "run.js"), "utf8").replace(JSON.stringify(cacheDir), JSON.stringify(join(dir, "not-a-folder", "cache"))));
    expect(run(true)).toEqual(node);
    expect(run(true)).toEqual(node);
  });

  test("a cache V8 rejects (damaged, other flags) costs a compile and is replaced", () => {
    const node = run(false);
    run(true);
    for (const f of codeCaches()) writeFileSync(join(cacheDir, f), "not a code cache");
    expect(run(true)).toEqual(node);
    for (const f of codeCaches()) expect(readFileSync(join(cacheDir, f), "utf8")).not.toBe("not a code cache");
    expect(run(true)).toEqual(node);
  });
});

test("the cache key hash is SHA-1 over the parts each ended by a NUL, whichever way Node computes it", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { sha1 } = require(CODE_CACHE) as { sha1: (...parts: Array<string | Buffer>) => string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const streamed = (...parts: Array<string | Buffer>) => {
    const hash = createHash("sha1");
    for (const part of parts) hash.update(part).update("\0");
    return hash.digest("hex");
  };
  const lists: Array<Array<string | Buffer>> = [[], [""], ["a", "b"], ["ab"], ["é€😀", "x\0y"], ["x".repeat(20000)], ["é".repeat(40000), "y".repeat(30000)], [Buffer.from([0xff, 0xfe]), "a"]];
  for (const parts of lists) expect(sha1(...parts)).toBe(streamed(...parts));
  expect(sha1("a", "b")).not.toBe(sha1("ab"));
});
