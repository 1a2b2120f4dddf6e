"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { createInventory } = require("../src/index.js");
const { needsReorder, reorderList } = require("../src/reorder.js");

test("an item at or below the threshold needs reordering [IDX-INV-REORDER-01]", () => {
  const inventory = createInventory();
  inventory.define("bolt", 25);
  inventory.define("nut", 10);
  inventory.addStock("bolt", 5);
  inventory.addStock("nut", 9);
  assert.equal(needsReorder(inventory, "bolt", 5), true);
  assert.equal(needsReorder(inventory, "nut", 5), false);
  assert.deepEqual(reorderList(inventory, 5), ["bolt"]);
});
