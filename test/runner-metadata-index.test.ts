/**
 * The decorator-argument index must return exactly what TypeORM's own scans
 * return (same items, same order), for single targets and inheritance chains.
 */
import fc from "fast-check";
import { inheritedWithoutStrangers, itemsOfTarget } from "../src/runner/metadata-index";

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
