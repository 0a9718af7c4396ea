"use strict";
// Preloaded into the CLI processes the benchmark times (NODE_OPTIONS=--require):
// records the peak resident set size when the process exits, whatever tool it runs.
const { appendFileSync } = require("node:fs");
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // Losing one memory sample must not change the exit code being measured.
    }
  });
}
