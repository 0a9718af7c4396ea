import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeFormatter, formatSource, renderHeader, renderRevisionSource, type RevisionFileSpec } from "../../src/emit";
import { loadRevisionSource, recordOps, step, withTempDir } from "./support";

afterAll(closeFormatter);

const base: RevisionFileSpec = {
  revision: "3f2a9c1b7d4e",
  downRevision: "8be61d0cc541",
  message: "Add user timezone",
  createdAt: new Date("2026-11-22T10:04:11Z"),
};

const tz = { name: "tz", type: "varchar", length: 64, nullable: true };
const timezone = { name: "timezone", type: "varchar", length: 64, nullable: true };

const designSpec: RevisionFileSpec = {
  ...base,
  upgrade: [
    step({ kind: "addColumn", table: "users", column: timezone }),
    step(
      { kind: "dropColumn", table: "users", column: "tz", existing: tz },
      {
        destructive: true,
        review: [
          'REVIEW rename? "users.tz" was dropped and "users.timezone" added with the same type.',
          "If it is a rename, replace the addColumn above and the dropColumn below with:",
          '  await op.renameColumn("users", "tz", "timezone");',
        ],
      },
    ),
  ],
  downgrade: [
    step({ kind: "addColumn", table: "users", column: tz }),
    step({ kind: "dropColumn", table: "users", column: "timezone", existing: timezone }),
  ],
};

function bodyOf(source: string, fn: "upgrade" | "downgrade"): string[] {
  const start = source.indexOf(`export async function ${fn}(`);
  const end = source.indexOf("\n}\n", start);
  return source
    .slice(source.indexOf("\n", start) + 1, end)
    .split("\n")
    .map((line) => line.trim());
}

describe("the revision file", () => {
  it("has exactly the shape of the design example (prettier printWidth 120 from the project config)", async () => {
    await withTempDir(async (dir) => {
      writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ printWidth: 120 }));
      const text = await formatSource(renderRevisionSource(designSpec), join(dir, "3f2a9c1b7d4e_add_user_timezone.ts"));
      expect(text).toBe(`/**
 * Add user timezone
 *
 * Revision: 3f2a9c1b7d4e
 * Revises: 8be61d0cc541
 * Created: 2026-11-22 10:04:11 UTC
 */
import type { MigrationContext } from "typeorm-retort";

export const revision = "3f2a9c1b7d4e";
export const downRevision = "8be61d0cc541";

export async function upgrade({ op }: MigrationContext): Promise<void> {
  await op.addColumn("users", { name: "timezone", type: "varchar", length: 64, nullable: true });
  // REVIEW rename? "users.tz" was dropped and "users.timezone" added with the same type.
  // If it is a rename, replace the addColumn above and the dropColumn below with:
  //   await op.renameColumn("users", "tz", "timezone");
  await op.dropColumn("users", "tz");
}

export async function downgrade({ op }: MigrationContext): Promise<void> {
  await op.addColumn("users", { name: "tz", type: "varchar", length: 64, nullable: true });
  await op.dropColumn("users", "timezone");
}
`);
    });
  });

  it("exports the metadata the runner reads", () => {
    const loaded = loadRevisionSource(renderRevisionSource(designSpec));
    expect(loaded.revision).toBe("3f2a9c1b7d4e");
    expect(loaded.downRevision).toBe("8be61d0cc541");
    expect("branchLabels" in loaded).toBe(false);
    expect("dependsOn" in loaded).toBe(false);
    expect("transactional" in loaded).toBe(false);
  });

  it("writes a merge revision's down-revisions as a list, and lists them in the header", () => {
    const source = renderRevisionSource({ ...base, downRevision: ["aaa111", "bbb222"] });
    expect(loadRevisionSource(source).downRevision).toEqual(["aaa111", "bbb222"]);
    expect(source).toContain(" * Revises: aaa111, bbb222\n");
  });

  it("writes null for the first revision and leaves Revises empty, as Alembic does", () => {
    const source = renderRevisionSource({ ...base, downRevision: null });
    expect(loadRevisionSource(source).downRevision).toBeNull();
    expect(source).toContain(" * Revises:\n * Created:"); // no trailing space
  });

  it("exports branchLabels, dependsOn and transactional = false when given", () => {
    const source = renderRevisionSource({ ...base, branchLabels: ["billing"], dependsOn: ["c0ffee", "d00d"], transactional: false });
    const loaded = loadRevisionSource(source);
    expect(loaded.branchLabels).toEqual(["billing"]);
    expect(loaded.dependsOn).toEqual(["c0ffee", "d00d"]);
    expect(loaded.transactional).toBe(false);
  });

  it("leaves out empty branchLabels/dependsOn and transactional unless it is false", () => {
    for (const transactional of [true, undefined]) {
      const loaded = loadRevisionSource(renderRevisionSource({ ...base, branchLabels: [], dependsOn: [], transactional }));
      expect(Object.keys(loaded).sort()).toEqual(["downRevision", "downgrade", "revision", "upgrade"]);
    }
  });

  it("writes empty bodies with a placeholder comment for a plain `revision -m`", async () => {
    const source = renderRevisionSource(base);
    expect(bodyOf(source, "upgrade")).toEqual(["// write your upgrade here"]);
    expect(bodyOf(source, "downgrade")).toEqual(["// write your downgrade here"]);
    const loaded = loadRevisionSource(await formatSource(source, "/x/rev.ts"));
    expect(await recordOps(loaded, "upgrade")).toEqual([]);
    expect(await recordOps(loaded, "downgrade")).toEqual([]);
  });
});

describe("REVIEW comments", () => {
  const dropUsers = { kind: "dropTable" as const, table: "users" };

  it("are written directly above their step's call, each line as a `// ` line, with REVIEW on the first", () => {
    const source = renderRevisionSource({
      ...base,
      upgrade: [
        step({ kind: "renameTable", from: "a", to: "b" }),
        step({ kind: "renameColumn", table: "b", from: "x", to: "y" }, { review: ["check the index names\nthey keep the old table name", "", "see docs"] }),
      ],
    });
    expect(bodyOf(source, "upgrade")).toEqual([
      'await op.renameTable("a", "b");',
      "// REVIEW check the index names",
      "// they keep the old table name",
      "//",
      "// see docs",
      'await op.renameColumn("b", "x", "y");',
    ]);
  });

  it("mark destructive steps, once: not again when the step's review already says destructive", () => {
    const source = renderRevisionSource({
      ...base,
      upgrade: [
        step(dropUsers, { destructive: true }),
        step({ kind: "dropColumn", table: "t", column: "c" }, { destructive: true, review: ["REVIEW destructive: c holds invoices"] }),
        step(
          { kind: "alterColumn", table: "t", column: "d", changes: { length: 10, nullable: false } },
          { destructive: true },
        ),
        step({ kind: "dropIndex", table: "t", name: "ix" }),
      ],
    });
    expect(bodyOf(source, "upgrade")).toEqual([
      '// REVIEW destructive: drops table "users" and all its rows.',
      'await op.dropTable("users");',
      "// REVIEW destructive: c holds invoices",
      'await op.dropColumn("t", "c");',
      '// REVIEW destructive: alters "t.d" (length, nullable); existing rows may be lost, truncated or fail the change.',
      'await op.alterColumn("t", "d", { length: 10, nullable: false });',
      'await op.dropIndex("t", "ix");',
    ]);
  });

  it("put global notes at the top of upgrade(), also when the body is otherwise empty", () => {
    const withSteps = renderRevisionSource({ ...base, notes: ['view "v_users" is not described by any entity'], upgrade: [step(dropUsers)] });
    expect(bodyOf(withSteps, "upgrade")).toEqual(['// REVIEW view "v_users" is not described by any entity', 'await op.dropTable("users");']);
    const empty = renderRevisionSource({ ...base, notes: ["REVIEW nothing to do", "but look"] });
    expect(bodyOf(empty, "upgrade")).toEqual(["// REVIEW nothing to do", "// but look", "// write your upgrade here"]);
    expect(bodyOf(empty, "downgrade")).toEqual(["// write your downgrade here"]);
  });

  it("survive prettier in place, and a step's own review replaces the generic destructive warning", async () => {
    const formatted = await formatSource(
      renderRevisionSource({ ...base, upgrade: [step(dropUsers, { destructive: true, review: ["REVIEW keep?"] })] }),
      "/x/rev.ts",
    );
    expect(bodyOf(formatted, "upgrade")).toEqual([
      "// REVIEW keep?",
      'await op.dropTable("users");',
    ]);
  });
});

describe("the header", () => {
  it("puts the title first, then further message lines, and cannot be closed early by the message", () => {
    expect(
      renderHeader({ ...base, message: "Split names\n\nfirst/last  \nends the comment */ here", downRevision: ["a", "b"] }),
    ).toBe(
      [
        "/**",
        " * Split names",
        " *",
        " * first/last",
        " * ends the comment *\\/ here",
        " *",
        " * Revision: 3f2a9c1b7d4e",
        " * Revises: a, b",
        " * Created: 2026-11-22 10:04:11 UTC",
        " */",
      ].join("\n"),
    );
  });

  it("prints the creation time in UTC whatever the date's offset", () => {
    const header = renderHeader({ ...base, createdAt: new Date("2026-01-01T01:02:03+05:30") });
    expect(header).toContain(" * Created: 2025-12-31 19:32:03 UTC");
  });
});
