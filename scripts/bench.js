#!/usr/bin/env node
"use strict";
/**
 * `npm run bench [-- --n 100,1000,3000 --dialects postgres,mysql,sqlite --runs 5 --startup-only --no-startup]`:
 * retort against TypeORM's own generator on synthetic projects (see
 * scripts/bench/main.ts). Results: a printed table and bench-results/*.json.
 */
require("./run-main")(require("node:path").join(__dirname, "bench", "main.ts"));
