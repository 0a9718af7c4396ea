#!/usr/bin/env node
"use strict";
/**
 * `npm run bench [-- --n 100,1000,3000 --dialects postgres,mysql,sqlite --runs 5 --startup-only --no-startup]`:
 * retort against TypeORM's own generator on synthetic projects (see
 * scripts/bench/main.ts). Results: a printed table and bench-results/*.json.
 */
const { join } = require("node:path");

const repo = join(__dirname, "..");
require(join(repo, "src", "config", "ts-hook.js")).registerTypeScript(repo);
require(join(__dirname, "bench", "main.ts"))
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exitCode = 2;
    },
  );
