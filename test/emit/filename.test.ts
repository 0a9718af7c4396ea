import { DEFAULT_FILE_TEMPLATE, revisionFileName, slugify } from "../../src/emit";
import { InvalidRevisionFileNameError } from "../../src/emit/errors";

const createdAt = new Date("2026-03-04T05:06:07.890Z");

describe("slugify", () => {
  it.each([
    ["Add user timezone", "add_user_timezone"],
    ["  Add   user--timezone!! ", "add_user_timezone"],
    ["Drop `users`.`tz` (legacy)", "drop_users_tz_legacy"],
    ["Café crème", "cafe_creme"],
    ["CamelCase And 123 Numbers", "camelcase_and_123_numbers"],
    ["multi\nline\tmessage", "multi_line_message"],
    ["...", ""],
    ["", ""],
  ])("%j -> %j", (message, slug) => {
    expect(slugify(message)).toBe(slug);
  });

  it("keeps at most 40 characters and cuts at a word end", () => {
    const slug = slugify("add the customer billing address columns and the shipping address columns");
    expect(slug).toBe("add_the_customer_billing_address_columns");
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slugify("a".repeat(50) + " tail")).toBe("a".repeat(40));
    expect(slugify("one " + "b".repeat(45))).toBe("one");
  });
});

describe("revisionFileName", () => {
  it("defaults to <rev>_<slug>.ts", () => {
    expect(DEFAULT_FILE_TEMPLATE).toBe("{rev}_{slug}");
    expect(revisionFileName(DEFAULT_FILE_TEMPLATE, { rev: "3f2a9c1b7d4e", message: "Add user timezone", createdAt })).toBe(
      "3f2a9c1b7d4e_add_user_timezone.ts",
    );
  });

  it("expands the date tokens in UTC, zero-padded, and the epoch in seconds", () => {
    const name = revisionFileName("{year}{month}{day}_{hour}{minute}{second}_{epoch}_{rev}_{slug}", {
      rev: "abc",
      message: "x y",
      createdAt,
    });
    expect(name).toBe(`20260304_050607_${Math.floor(Date.UTC(2026, 2, 4, 5, 6, 7) / 1000)}_abc_x_y.ts`);
  });

  it("allows a template that places files in a dated folder", () => {
    expect(revisionFileName("{year}/{rev}_{slug}", { rev: "abc", message: "Init", createdAt })).toBe("2026/abc_init.ts");
  });

  it("drops the dangling separator when the message has no letters or digits", () => {
    expect(revisionFileName(DEFAULT_FILE_TEMPLATE, { rev: "abc", message: "!!!", createdAt })).toBe("abc.ts");
  });

  it("does not append a second .ts", () => {
    expect(revisionFileName("{rev}.ts", { rev: "abc", message: "m", createdAt })).toBe("abc.ts");
  });

  it("rejects unknown tokens and revision ids that are empty or would escape the directory", () => {
    expect(() => revisionFileName("{rev}_{name}", { rev: "abc", message: "m", createdAt })).toThrow(InvalidRevisionFileNameError);
    for (const rev of ["", "../evil", "a/b", "a\\b", ".."]) {
      expect(() => revisionFileName(DEFAULT_FILE_TEMPLATE, { rev, message: "m", createdAt })).toThrow(InvalidRevisionFileNameError);
    }
  });
});
