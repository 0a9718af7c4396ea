#!/usr/bin/env node
"use strict";
/**
 * `npm run reliability [-- --dialects sqlite,postgres,mysql --trials 5 --kills 20 --verbose]`:
 * 8 concurrent `upgrade head` per trial, and kill -9 at random moments, per
 * dialect, through the real CLI (see scripts/reliability/main.ts). Not part
 * of the unit suite: it takes minutes. Exit 0 when every count is full.
 */
require("./run-main")(require("node:path").join(__dirname, "reliability", "main.ts"));
