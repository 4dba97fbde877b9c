import { describe, expect, it } from "vitest";
import { newId, newIdInTurnOf, newTurnToken, turnOf } from "./ids.js";

describe("turn tokens in item ids", () => {
  it("gives the items of one turn ids that share its token and keep the usual shape", () => {
    const turn = newTurnToken();
    const ids = [newId("msg", turn), newId("mcp", turn), newId("mcpr", turn), newId("fc", turn)];
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]+_[0-9a-f]{32}$/);
      expect(turnOf(id)).toBe(turn);
    }
    expect(new Set(ids.map((id) => id.slice(id.indexOf("_") + 17))).size).toBe(ids.length);
    expect(turnOf(newId("mcp", newTurnToken()))).not.toBe(turn);
  });

  it("never reads a token in an id minted without one", () => {
    // One random 32-hex id in 65,536 passes the check by chance; newId draws again then.
    const readAsTurns = Array.from({ length: 300_000 }, () => newId("fc")).filter(
      (id) => turnOf(id) !== null,
    );
    expect(readAsTurns).toEqual([]);
  });

  it.each([
    "fc_1",
    "msg_67ccd3acc8d48190a77525dc6de64b4104becd6c2f5f3f38",
    "mcp_2f8e7c1a-4b3d-4e5f-8a9b-0c1d2e3f4a5b",
    "mcp_00000000000000000000000000000001",
    "mcp_00000000000000000000000000000002",
    "mcp_ffffffffffffffffffffffffffffffff",
  ])("reads no token in a foreign id (%s)", (id) => {
    expect(turnOf(id)).toBeNull();
  });

  it("puts an id in its sibling's turn, or in a turn of its own", () => {
    const turn = newTurnToken();
    expect(turnOf(newIdInTurnOf("mcp", newId("mcpr", turn)))).toBe(turn);
    const alone = turnOf(newIdInTurnOf("mcp", "mcpr_from_another_client"));
    expect(alone).not.toBeNull();
    expect(alone).not.toBe(turnOf(newIdInTurnOf("mcp", "mcpr_from_another_client")));
  });
});
