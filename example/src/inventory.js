"use strict";

/** A tiny in-memory inventory: item name → { quantity, unitPrice } (prices in cents). */
function createInventory() {
  const items = new Map();
  return {
    define(name, unitPrice) {
      items.set(name, { quantity: 0, unitPrice });
    },
    get(name) {
      const item = items.get(name);
      return item ? { ...item } : undefined;
    },
    names() {
      return [...items.keys()].sort();
    },
  };
}

module.exports = { createInventory };
