/**
 * Under jest, revision files are required through jest's own module registry
 * (ts-jest transforms them), not through retort's require hook, so compiling
 * them ahead with the native compiler (`precompile`, one `tsgo` process per
 * migrations folder load) is work nobody uses: about a third of the fixture
 * suite's CPU time. In-process suites that load revision folders use this
 * loader; the CLI tests (real processes) and test/config keep the real one.
 *
 *   jest.mock("../../src/config/loader", () => require("../support/jest-loading").loaderForJest());
 */
export function loaderForJest(): typeof import("../../src/config/loader") {
  const actual = jest.requireActual<typeof import("../../src/config/loader")>("../../src/config/loader");
  return { ...actual, precompile: () => undefined };
}
