"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { createInventory, InsufficientStockError } = require("../src/index.js");

test("addStock raises the quantity [IDX-INV-STOCK-01]", () => {
  const inventory = createInventory();
  inventory.define("bolt", 25);
  inventory.addStock("bolt", 10);
  inventory.addStock("bolt", 5);
  assert.equal(inventory.get("bolt").quantity, 15);
});

test("removeStock lowers the quantity and refuses to go below zero [IDX-INV-STOCK-02]", () => {
  const inventory = createInventory();
  inventory.define("nut", 10);
  inventory.addStock("nut", 4);
  inventory.removeStock("nut", 3);
  assert.equal(inventory.get("nut").quantity, 1);
  assert.throws(() => inventory.removeStock("nut", 2), InsufficientStockError);
  assert.equal(inventory.get("nut").quantity, 1);
});
