import { describe, expect, it } from "vitest";
import { assignServedNames, isServableName, localServerName } from "./served-names.js";

describe("localServerName", () => {
  it("keeps an id the registry's name rule accepts", () => {
    expect(localServerName("local.patchbay", "team.github_prod-1")).toBe(
      "local.patchbay/team.github_prod-1",
    );
  });

  it("folds ':' and '/' and tells apart ids that fold alike", () => {
    const slash = localServerName("local.patchbay", "acme/github");
    const colon = localServerName("local.patchbay", "acme:github");
    expect(slash).toMatch(/^local\.patchbay\/acme_github-[0-9a-f]{8}$/);
    expect(colon).toMatch(/^local\.patchbay\/acme_github-[0-9a-f]{8}$/);
    expect(slash).not.toBe(colon);
    expect(isServableName(slash)).toBe(true);
  });
});

describe("assignServedNames", () => {
  it("gives a name to the first who asks; a later registry gets its id appended", () => {
    expect(
      assignServedNames([
        { preferred: "local.patchbay/a", registryId: null },
        { preferred: "io.x/y", registryId: "alpha" },
        { preferred: "io.x/y", registryId: "beta" },
        { preferred: "local.patchbay/a", registryId: "alpha" },
      ]),
    ).toEqual(["local.patchbay/a", "io.x/y", "io.x/y--beta", "local.patchbay/a--alpha"]);
  });

  it("serves nothing under a taken or invalid name", () => {
    expect(
      assignServedNames([
        { preferred: "io.x/y--beta", registryId: "gamma" },
        { preferred: "io.x/y", registryId: "alpha" },
        { preferred: "io.x/y", registryId: "beta" },
        { preferred: "local.patchbay/a", registryId: null },
        { preferred: "local.patchbay/a", registryId: null },
        { preferred: "no-slash", registryId: "alpha" },
        { preferred: `io.x/${"n".repeat(200)}`, registryId: "alpha" },
      ]),
    ).toEqual(["io.x/y--beta", "io.x/y", null, "local.patchbay/a", null, null, null]);
  });
});
