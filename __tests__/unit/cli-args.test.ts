import { CommandSpec, parsePort } from "../../src/cli/args";
import { main as emulatorMain } from "../../src/cli/emulator";
import { main as localMain } from "../../src/cli/local";
import { captureOutput } from "./helpers/captured-output";

const SPEC: CommandSpec = { name: "demo", usage: "Usage: demo [--port <n>]", options: { port: { type: "string" } } };

describe("parsePort", () => {
  const output = captureOutput();

  it("leaves the port unset when the option is absent", () => {
    expect(parsePort(SPEC, undefined)).toEqual({ ok: true, port: undefined });
    expect(output.stderr()).toBe("");
  });

  it.each([
    ["1", 1],
    ["5000", 5000],
    ["65535", 65535],
  ])("reads %s as port %d", (value, port) => {
    expect(parsePort(SPEC, value)).toEqual({ ok: true, port });
  });

  it.each(["0", "65536", "-1", "80.5", "1e3", "0x50", "http", " 80", ""])(
    "refuses %j with exit 2, naming the command, the value and the allowed range, then the usage",
    (value) => {
      expect(parsePort(SPEC, value)).toEqual({ ok: false, exitCode: 2 });
      expect(output.stderr()).toBe(
        `demo: --port must be a port number from 1 to 65535 (got ${JSON.stringify(value)})\n\nUsage: demo [--port <n>]\n`,
      );
    },
  );
});

describe("the commands that take --port", () => {
  const output = captureOutput();

  it.each([
    ["local", localMain],
    ["emulator", emulatorMain],
  ])("npm run %s exits 2 on a bad port before starting anything", async (name, main) => {
    await expect(main(["--port", "99999"])).resolves.toBe(2);
    expect(output.stderr()).toMatch(
      new RegExp(`^${name}: --port must be a port number from 1 to 65535 \\(got "99999"\\)`),
    );
  });
});
