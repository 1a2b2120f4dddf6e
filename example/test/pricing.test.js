"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { createInventory } = require("../src/index.js");
const { itemValue, totalValue } = require("../src/pricing.js");

test("itemValue and totalValue price the stock in cents [IDX-INV-PRICE-01]", () => {
  const inventory = createInventory();
  inventory.define("bolt", 25);
  inventory.define("nut", 10);
  inventory.addStock("bolt", 4);
  inventory.addStock("nut", 3);
  assert.equal(itemValue(inventory, "bolt"), 100);
  assert.equal(itemValue(inventory, "washer"), 0);
  assert.equal(totalValue(inventory), 130);
});
