/**
 * The decorator-argument index must return exactly what TypeORM's own scans
 * return (same items, same order), for single targets and inheritance chains.
 */
import fc from "fast-check";
import "reflect-metadata";
import { ChildEntity, Column, type ColumnOptions, DataSource, Entity, JoinTable, ManyToMany, ManyToOne, OneToMany, PrimaryGeneratedColumn, TableInheritance } from "typeorm";
import { buildStepsAnswered, childrenByInheritance, inheritedWithoutStrangers, installMetadataArgsIndex, itemsOfTarget } from "../src/runner/metadata-index";

const targets = ["A", "B", "C", "D"].map((name) => ({ name }));

test("itemsOfTarget equals a full filter for any list and any target or target list", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ target: fc.constantFrom(...targets), propertyName: fc.constantFrom("x", "y", "z") })),
      fc.oneof(fc.constantFrom(...targets), fc.array(fc.constantFrom(...targets), { maxLength: 4 })),
      (items, target) => {
        const scan = items.filter((i) => (Array.isArray(target) ? target.indexOf(i.target) !== -1 : i.target === target));
        expect(itemsOfTarget(items, target)).toEqual(scan);
        // The list grows as decorators register: the index follows.
        items.push({ target: targets[0], propertyName: "x" });
        const again = items.filter((i) => (Array.isArray(target) ? target.indexOf(i.target) !== -1 : i.target === target));
        expect(itemsOfTarget(items, target)).toEqual(again);
      },
    ),
    { numRuns: 300 },
  );
});

test("the inheritance test answers as instanceof for any class forest, entity list and question, also as the list grows", () => {
  const instanceOf = (a: unknown, b: unknown) => (a as { prototype: object }).prototype instanceof (b as new () => unknown);
  fc.assert(
    fc.property(
      // Class i extends class parents[i] (an earlier one) or nothing.
      fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
      (parents, tableIndexes, questions) => {
        const classes: Array<new () => object> = [];
        parents.forEach((parent, i) => {
          const base = parent === undefined || i === 0 ? undefined : classes[parent % i];
          classes.push(base ? class extends base {} : class {});
        });
        const tables = tableIndexes.map((i) => ({ target: classes[i % classes.length] }));
        const inherited = inheritedWithoutStrangers(instanceOf, () => tables);
        const ask = () => {
          for (const [a, b] of questions) {
            const [child, parent] = [classes[a % classes.length], classes[b % classes.length]];
            expect(inherited(child, parent)).toBe(instanceOf(child, parent));
          }
        };
        ask();
        tables.push(...classes.map((target) => ({ target })));
        ask();
      },
    ),
    { numRuns: 300 },
  );
});

test("the children index answers as TypeORM's filter for any class forest, entity list (with non-class targets) and parent kind", () => {
  const instanceOf = (a: unknown, b: unknown) => (a as { prototype: object }).prototype instanceof (b as new () => unknown);
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 12 }),
      // An entry is a class (by index), a schema name (EntitySchema targets are strings), or a class with its own instanceof.
      fc.array(fc.oneof(fc.nat(), fc.constant("schema"), fc.constant("custom")), { maxLength: 14 }),
      (parents, entries) => {
        const classes: Array<new () => object> = [];
        parents.forEach((parent, i) => {
          const base = parent === undefined || i === 0 ? undefined : classes[parent % i];
          classes.push(base ? class extends base {} : class {});
        });
        const custom = class {
          static [Symbol.hasInstance](value: unknown) {
            return value === classes[0].prototype;
          }
        };
        const list = entries.map((entry) => ({ target: entry === "schema" ? "schema" : entry === "custom" ? custom : classes[entry % classes.length] }));
        const scan = list.map((m) => list.filter((c) => typeof m.target === "function" && typeof c.target === "function" && instanceOf(c.target, m.target)));
        const answered = childrenByInheritance(list, instanceOf);
        expect(answered).toEqual(scan);
        answered.forEach((children, i) => children.forEach((child, k) => expect(child).toBe(scan[i][k])));
      },
    ),
    { numRuns: 300 },
  );
});

test("TypeORM's metadata build takes the children from the index, and they are the entities that extend each class", async () => {
  installMetadataArgsIndex();
  // Decorators applied as calls: the test compiles without decorator metadata.
  const column = (type: string) => Column({ type } as ColumnOptions);
  class Content {
    id!: number;
    title!: string;
  }
  PrimaryGeneratedColumn()(Content.prototype, "id");
  column("varchar")(Content.prototype, "title");
  TableInheritance({ column: { type: "varchar", name: "kind" } })(Content);
  Entity("content_index_test")(Content);
  class Photo extends Content {
    size!: number;
  }
  column("int")(Photo.prototype, "size");
  ChildEntity("photo")(Photo);
  class Panorama extends Photo {
    angle!: number;
  }
  column("int")(Panorama.prototype, "angle");
  ChildEntity("panorama")(Panorama);
  // A base class no entity table stands for, and two entities extending it (concrete table inheritance).
  abstract class Stamped {
    id!: number;
    at!: string;
  }
  PrimaryGeneratedColumn()(Stamped.prototype, "id");
  column("varchar")(Stamped.prototype, "at");
  class Audit extends Stamped {}
  Entity("audit_index_test")(Audit);
  class LoginAudit extends Audit {
    ip!: string;
  }
  column("varchar")(LoginAudit.prototype, "ip");
  Entity("login_audit_index_test")(LoginAudit);
  // Relations by class (with an inverse side on a single-table child's parent) and by entity name.
  class Remark {
    id!: number;
    content!: Content;
    audit!: Audit;
  }
  PrimaryGeneratedColumn()(Remark.prototype, "id");
  ManyToOne(() => Content, (content: Content & { remarks: Remark[] }) => content.remarks)(Remark.prototype, "content");
  OneToMany(() => Remark, (remark: Remark) => remark.content)(Content.prototype, "remarks");
  ManyToOne("Audit")(Remark.prototype, "audit");
  // Two join tables: entities the build appends to the list, whose relations are looked up too.
  ManyToMany(() => LoginAudit)(Remark.prototype, "logins");
  JoinTable()(Remark.prototype, "logins");
  ManyToMany(() => Photo)(Remark.prototype, "photos");
  JoinTable()(Remark.prototype, "photos");
  Entity("remark_index_test")(Remark);
  const before = { ...buildStepsAnswered };
  const dataSource = new DataSource({ type: "better-sqlite3", database: ":memory:", entities: [Content, Photo, Panorama, Audit, LoginAudit, Remark] });
  await dataSource.initialize();
  try {
    expect(buildStepsAnswered.children).toBe(before.children + 1);
    // One lookup per column of a class with a table of its own (Content 3 with the discriminator added later, Audit 2, LoginAudit 3) and per single-table child.
    expect(buildStepsAnswered.singleTableChildLookups).toBeGreaterThan(before.singleTableChildLookups);
    const all = dataSource.entityMetadatas;
    expect(Object.getOwnPropertyNames(all).filter((name) => !/^\d+$/.test(name))).toEqual(["length"]);
    const names = (list: Array<{ target: unknown }>) => list.map((m) => (m.target as { name: string }).name).sort();
    const childrenOf = (target: unknown) => names(dataSource.getMetadata(target as never).childEntityMetadatas);
    expect(childrenOf(Content)).toEqual(["Panorama", "Photo"]);
    expect(childrenOf(Photo)).toEqual(["Panorama"]);
    expect(childrenOf(Panorama)).toEqual([]);
    expect(childrenOf(Audit)).toEqual(["LoginAudit"]);
    for (const metadata of all) {
      const scan = all.filter((c) => typeof metadata.target === "function" && typeof c.target === "function" && c.target.prototype instanceof metadata.target);
      expect(metadata.childEntityMetadatas).toEqual(scan);
    }
    expect(buildStepsAnswered.inverseSides).toBe(before.inverseSides + all.length);
    for (const metadata of all) {
      for (const relation of metadata.relations) {
        const type = relation.type;
        const scan = all.find((m) => m.target === type || (typeof type === "string" && (m.targetName === type || m.givenTableName === type)));
        expect(relation.inverseEntityMetadata).toBe(scan);
        expect(relation.inverseRelation).toBe(scan?.relations.find((found) => found.propertyPath === relation.inverseSidePropertyPath));
      }
    }
    const remarks = dataSource.getMetadata(Remark);
    expect(remarks.relations.find((r) => r.propertyName === "audit")?.inverseEntityMetadata.target).toBe(Audit);
    expect(remarks.relations.find((r) => r.propertyName === "content")?.inverseRelation?.propertyName).toBe("remarks");
    expect(remarks.foreignKeys.map((fk) => fk.referencedTablePath).sort()).toEqual(["audit_index_test", "content_index_test"]);
    const junctions = all.filter((m) => m.isJunction);
    expect(junctions.map((m) => m.tableName).sort()).toEqual(["remark_index_test_logins_login_audit_index_test", "remark_index_test_photos_content_index_test"]);
    for (const junction of junctions) {
      expect(junction.foreignKeys.map((fk) => fk.referencedTablePath).sort()).toEqual(
        [junction.tableName.includes("logins") ? "login_audit_index_test" : "content_index_test", "remark_index_test"].sort(),
      );
    }
    // What the children and the single-table lookup feed: the children share their parent's table and discriminator
    // column, and a column a single-table child declares is nullable in that table.
    expect(dataSource.getMetadata(Content).columns.find((c) => c.propertyName === "size")?.isNullable).toBe(true);
    expect(dataSource.getMetadata(Content).columns.find((c) => c.propertyName === "title")?.isNullable).toBe(false);
    expect(dataSource.getMetadata(LoginAudit).columns.find((c) => c.propertyName === "ip")?.isNullable).toBe(false);
    expect(dataSource.getMetadata(Panorama).tableName).toBe("content_index_test");
    expect(dataSource.getMetadata(Content).discriminatorColumn?.databaseName).toBe("kind");
  } finally {
    await dataSource.destroy();
  }
});

test("a relation to an entity the data source does not list fails as TypeORM says it", async () => {
  installMetadataArgsIndex();
  class Owner {
    id!: number;
  }
  PrimaryGeneratedColumn()(Owner.prototype, "id");
  Entity("owner_index_test")(Owner);
  class Pet {
    id!: number;
    owner!: Owner;
  }
  PrimaryGeneratedColumn()(Pet.prototype, "id");
  ManyToOne(() => Owner)(Pet.prototype, "owner");
  Entity("pet_index_test")(Pet);
  const dataSource = new DataSource({ type: "better-sqlite3", database: ":memory:", entities: [Pet] });
  await expect(dataSource.initialize()).rejects.toThrow(
    "Entity metadata for Pet#owner was not found. Check if you specified a correct entity object and if it's connected in the connection options.",
  );
});
