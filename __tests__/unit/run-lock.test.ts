import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { runLockPath, takeRunLock } from "../../src/ops/emulator/run-lock";

/** A fresh endpoint name per test, so tests never share a lock file. */
const endpoint = () => `http://127.0.0.1:1/run-lock-test-${process.pid}-${Math.random()}`;

describe("the run lock of an emulator endpoint", () => {
  it("makes a second run wait until the first releases it", async () => {
    const url = endpoint();
    const order: string[] = [];
    const releaseFirst = await takeRunLock(url, () => undefined);
    order.push("first holds");
    const second = takeRunLock(url, () => undefined).then((release) => {
      order.push("second holds");
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    order.push("first releases");
    releaseFirst();
    (await second)();
    expect(order).toEqual(["first holds", "first releases", "second holds"]);
    expect(existsSync(runLockPath(url))).toBe(false);
  });

  it("takes over a lock whose owner is gone", async () => {
    const url = endpoint();
    // A pid that no longer runs: a child that has exited.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(runLockPath(url), JSON.stringify({ pid: gone, token: "left-behind" }));
    const started = Date.now();
    const release = await takeRunLock(url, () => undefined);
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    expect(existsSync(runLockPath(url))).toBe(false);
  });

  it("keeps one lock per endpoint", () => {
    expect(runLockPath("http://127.0.0.1:1")).not.toBe(runLockPath("http://127.0.0.1:2"));
  });
});
