// Whether an endpoint is the emulator: moto's management API answers 200 within a second.
// Anything else (another answer, a closed port, silence, not a URL) is not the emulator.
import { Server, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { isAnswering, pointsAtEmulator } from "../../src/ops/emulator/emulator";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback server answering `/moto-api/` with `status` (or never, with `undefined`). */
async function serving(status: number | undefined): Promise<string> {
  const server = createServer((request, response) => {
    if (status === undefined) return; // holds the request open
    response.statusCode = request.url === "/moto-api/" ? status : 404;
    response.end("{}");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.on("connection", (socket) => server.once("close", () => socket.destroy()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the emulator check", () => {
  it("is true when moto's management API answers 200", async () => {
    const endpoint = await serving(200);
    expect(await isAnswering(endpoint)).toBe(true);
    expect(await pointsAtEmulator({ AWS_ENDPOINT_URL: `${endpoint}/` })).toBe(true);
  });

  it("is false for another answer, a closed port, no endpoint or not a URL", async () => {
    expect(await isAnswering(await serving(500))).toBe(false);
    const closed = await serving(200);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await isAnswering(closed)).toBe(false);
    expect(await pointsAtEmulator({})).toBe(false);
    expect(await isAnswering("not a url")).toBe(false);
  });

  it("gives up after a second of silence", async () => {
    const started = Date.now();
    expect(await isAnswering(await serving(undefined))).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
