import { describe, expect, it } from "vitest";
import { chooseLogFormat } from "./create-logger.js";

describe("chooseLogFormat", () => {
  it("is pretty for a terminal and JSON otherwise, unless asked", () => {
    expect(chooseLogFormat(undefined, true)).toBe("pretty");
    expect(chooseLogFormat(undefined, false)).toBe("json");
    expect(chooseLogFormat("json", true)).toBe("json");
    expect(chooseLogFormat("pretty", false)).toBe("pretty");
  });
});
