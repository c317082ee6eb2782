import { GO_GC_PERCENT, terraformEnv } from "../../src/ops/terraform/env";

describe("the environment of Terraform's children", () => {
  it("sets the CLI configuration and the switches for unattended runs over the caller's", () => {
    const env = terraformEnv({
      base: { PATH: "/bin", TF_CLI_CONFIG_FILE: "/home/u/.terraformrc", TF_INPUT: "1" },
      cliConfigFile: "/work/run/terraform.tfrc",
    });
    expect(env).toMatchObject({
      PATH: "/bin",
      TF_CLI_CONFIG_FILE: "/work/run/terraform.tfrc",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
    });
  });

  it("lets the Go collector of Terraform and its providers run less often, unless the caller chose", () => {
    expect(GO_GC_PERCENT).toBe("400");
    expect(terraformEnv({ base: {}, cliConfigFile: "c" }).GOGC).toBe("400");
    expect(terraformEnv({ base: { GOGC: undefined }, cliConfigFile: "c" }).GOGC).toBe("400");
    expect(terraformEnv({ base: { GOGC: "100" }, cliConfigFile: "c" }).GOGC).toBe("100");
    expect(terraformEnv({ base: { GOGC: "off" }, cliConfigFile: "c" }).GOGC).toBe("off");
  });
});
