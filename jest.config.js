/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] },
  moduleNameMapper: { "^typeorm-retort$": "<rootDir>/src/index.ts" },
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  // A CLI test spawns several processes; on a clean clone (no compile cache yet) with three workers on two cores, a
  // MySQL safe-mode test took over 60 s. The bound still catches a hang.
  testTimeout: 180000,
  // Three on two cores: a CLI test spends about a third of its time waiting on the database servers (DDL, fsync)
  // and on lock timeouts: with two workers the suite used 127% CPU and the last CI run took 24 minutes; with three, 182% and 17.
  maxWorkers: 3,
};
