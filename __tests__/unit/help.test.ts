import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runProcess } from "../../src/ops/run-process";

const root = join(__dirname, "..", "..");
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

/** The commands of ./help's command table: `npm run <script>` and `npm test`, one line each. */
async function listedCommands(): Promise<string[]> {
  const { exitCode, stdout: text } = await runProcess("bash", [join(root, "help")]);
  if (exitCode !== 0) throw new Error(`./help exited with ${exitCode}`);
  const table = text.split("\nCommands:\n")[1]?.split("\n\n")[0] ?? "";
  return [...table.matchAll(/^ {2}npm (?:run ([\w:-]+)|(test))\s{2,}\S/gm)].map((m) => m[1] ?? m[2]);
}

describe("./help", () => {
  it("lists every npm script once, and no command that does not exist", async () => {
    const listed = await listedCommands();
    expect([...listed].sort()).toEqual([...scripts].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });
});
