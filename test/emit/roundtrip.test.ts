import { closeFormatter, formatSource, renderOpCall, renderRevisionSource, type RevisionFileSpec } from "../../src/emit";
import { opSamples, allSampleOps, loadRevisionSource, recordOps, step } from "./support";
import type { Op } from "../../src/ops/types";

afterAll(closeFormatter);

function specWith(upgrade: Op[], downgrade: Op[] = []): RevisionFileSpec {
  return {
    revision: "3f2a9c1b7d4e",
    downRevision: "8be61d0cc541",
    message: "Round trip",
    createdAt: new Date("2026-11-22T10:04:11Z"),
    upgrade: upgrade.map((op) => step(op)),
    downgrade: downgrade.map((op) => step(op)),
  };
}

/** What a revision file keeps of an op: drops are written without the dropped definition (the downgrade spells it out), except dropUnique. */
function asEmitted(op: Op): Op {
  if (!op.kind.startsWith("drop") || op.kind === "dropUnique" || !("existing" in op)) return op;
  const { existing: _existing, ...rest } = op as Op & { existing?: unknown };
  return rest as Op;
}

describe("every op kind survives render -> op API round trip", () => {
  for (const [kind, ops] of Object.entries(opSamples)) {
    it(`${kind}: the recorded ops equal the input ops (raw and prettier-formatted)`, async () => {
      const source = renderRevisionSource(specWith(ops as Op[], [...(ops as Op[])].reverse()));
      const formatted = await formatSource(source, "/nonexistent-dir/rev.ts");
      for (const text of [source, formatted]) {
        const revision = loadRevisionSource(text);
        expect(await recordOps(revision, "upgrade")).toEqual((ops as Op[]).map(asEmitted));
        expect(await recordOps(revision, "downgrade")).toEqual([...(ops as Op[])].reverse().map(asEmitted));
      }
    });
  }

  it("keeps Date values, -0, 1e21, odd keys and unusual characters exactly", async () => {
    const [bulk] = opSamples.bulkInsert;
    const revision = loadRevisionSource(await formatSource(renderRevisionSource(specWith([bulk])), "/x/rev.ts"));
    const [recorded] = (await recordOps(revision, "upgrade")) as Array<typeof bulk>;
    expect(Object.is(recorded.rows[0].zero, -0)).toBe(true);
    expect(recorded.rows[1].balance).toBe(1e21);
    // The module runs in Node's realm, not Jest's sandbox, so `instanceof Date` would compare two Date constructors.
    expect(Object.prototype.toString.call(recorded.rows[1].at)).toBe("[object Date]");
    expect((recorded.rows[1].at as Date).toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(recorded.rows[0]["first name"]).toBe("Ann");
    expect(recorded.rows[0].name).toBe("Zoë \u2028 \"q\" \\ ${x}");
    expect(recorded.rows[1].name).toBe("multi\nline `tick`");
  });

  it("writes one call per op, in the given order", async () => {
    const source = renderRevisionSource(specWith(allSampleOps));
    const revision = loadRevisionSource(source);
    expect(await recordOps(revision, "upgrade")).toEqual(allSampleOps.map(asEmitted));
    const calls = source.split("\n").filter((line) => line.trim().startsWith("await op."));
    expect(calls.map((line) => line.trim().match(/^await op\.(\w+)\(/)?.[1])).toEqual(allSampleOps.map((op) => op.kind));
  });
});

describe("renderOpCall writes the exact call text", () => {
  it("addColumn as in the design example", () => {
    expect(renderOpCall(opSamples.addColumn[0])).toBe(
      'await op.addColumn("users", { name: "timezone", type: "varchar", length: 64, nullable: true });',
    );
  });

  it("dropColumn is written without the dropped definition, which the downgrade spells out", () => {
    expect(renderOpCall(opSamples.dropColumn[1])).toBe('await op.dropColumn("users", "tz");');
    expect(renderOpCall(opSamples.dropColumn[0])).toBe('await op.dropColumn("users", "tz");');
  });

  it("alterColumn puts existing and using in the options argument and keeps null (remove) changes", () => {
    expect(renderOpCall(opSamples.alterColumn[0])).toBe(
      'await op.alterColumn("users", "tz", { length: 128, default: null, nullable: false }, ' +
        '{ existing: { name: "tz", type: "varchar", length: 64, nullable: true }, using: "\\"tz\\"::varchar(128)" });',
    );
    expect(renderOpCall(opSamples.alterColumn[2])).toBe('await op.alterColumn("users", "tz", { type: "text" });');
  });

  it("alterEnum always passes the existing values", () => {
    expect(renderOpCall(opSamples.alterEnum[0])).toBe(
      'await op.alterEnum("mood", ["sad", "ok", "happy"], { existing: ["sad", "happy"] });',
    );
  });

  it("dropPrimaryKey without a name", () => {
    expect(renderOpCall(opSamples.dropPrimaryKey[2])).toBe('await op.dropPrimaryKey("users");');
  });

  it("multi-line execute SQL becomes a template literal with backticks, ${ and backslashes escaped and CR kept as \\r", () => {
    expect(renderOpCall(opSamples.execute[1])).toBe(
      "await op.execute(`UPDATE users\n   SET note = \\`x\\` || '\\${y}' || E'\\\\n'\\r\n WHERE id > 0;`, { reverse: \"SELECT 1\" });",
    );
  });

  it("per-dialect execute maps keep their arrays", () => {
    expect(renderOpCall(opSamples.execute[2])).toBe(
      'await op.execute({ postgres: ["SELECT 1", `SELECT\n  2`], mysql: "DO 0" }, { reverse: { sqlite: "SELECT 3" } });',
    );
  });
});
