import assert from "node:assert/strict";
import { ExactList } from "./exactList";

describe("ExactList", () => {
  it("hands out what was pushed since the last take or clear, and nothing left from before", () => {
    const list = new ExactList<number>();
    [1, 2, 3].forEach((item) => list.push(item));
    const first = list.take();
    assert.deepEqual(first, [1, 2, 3]);
    list.push(4);
    assert.deepEqual(list.take(), [4]);
    assert.deepEqual(first, [1, 2, 3], "an array handed out is not reused");
    list.push(5);
    list.clear();
    assert.deepEqual(list.take(), []);
  });
});
