"use strict";
// Runs a TypeScript script module's `main(argv)` from the checkout, through retort's own cached loader.
const { join } = require("node:path");

module.exports = function runMain(mainFile) {
  const repo = join(__dirname, "..");
  require(join(repo, "src", "config", "ts-hook.js")).registerTypeScript(repo);
  require(mainFile)
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
};
