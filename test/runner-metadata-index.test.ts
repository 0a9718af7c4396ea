/**
 * The decorator-argument index must return exactly what TypeORM's own scans
 * return (same items, same order), for single targets and inheritance chains.
 */
import fc from "fast-check";
import { itemsOfTarget } from "../src/runner/metadata-index";

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
