#!/usr/bin/env node
"use strict";
// From a checkout, run the TypeScript sources through retort's own cached
// loader (no build step); an installed package runs its compiled dist/.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const source = join(__dirname, "..", "src", "cli", "main.ts");
const checkout = existsSync(source);
// V8 code caches for the JavaScript the command loads (see code-cache.js), before anything else is required.
const codeCache = require(join(__dirname, "..", checkout ? "src" : join("dist", "src"), "config", "code-cache.js"));
codeCache.cachePlainJavaScript(codeCache.defaultCacheDir(join(__dirname, "..")));
let main;
if (checkout) {
  require(join(__dirname, "..", "src", "config", "ts-hook.js")).registerTypeScript(join(__dirname, ".."));
  main = require(source).main;
} else {
  main = require(join(__dirname, "..", "dist", "src", "cli", "main.js")).main;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);
