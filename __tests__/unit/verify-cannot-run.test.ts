// Every way npm run verify can fail to run exits 2 within 30 s, with a message that says which
// and what to do. The endpoints are small HTTP servers bound to 127.0.0.1 (loopback only): one
// that accepts connections and never answers, one that is not AWS, and a fake AWS that answers
// STS and refuses one permission. The SDK clients are real, so the timeouts and the way an
// error names its command are the ones users get.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { AddressInfo, Server as NetServer, Socket, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { main } from "../../src/cli/verify";
import { VERIFY_READS } from "../../src/common/verify-calls";
import { AwsClients } from "../../src/ops/aws-clients";
import { CannotRunError, cannotRunOf } from "../../src/ops/aws-errors";
import type * as Synth from "../../src/ops/terraform/synth";
import { captureOutput } from "./helpers/captured-output";

// Synthesis is the real one (the app in a child process, as npm run verify runs it), once per
// settings this file writes: these tests are about how a run fails against AWS, and each child
// process cost most of a test's time. Verify reads only the JSON; each run gets its own copy.
jest.mock("../../src/ops/terraform/synth", () => {
  const actual = jest.requireActual<typeof Synth>("../../src/ops/terraform/synth");
  const once = new Map<string, Promise<Synth.SynthResult>>();
  return {
    ...actual,
    synthesize: async (options: Synth.SynthOptions): Promise<Synth.SynthResult> => {
      const key = `${options.stack ?? ""} ${readFileSync(options.configFile, "utf8")}`;
      if (!once.has(key)) once.set(key, actual.synthesize(options));
      const first = await (once.get(key) as Promise<Synth.SynthResult>);
      return { stackDir: actual.stackDirIn(options.outDir, options.stack), json: structuredClone(first.json) };
    },
  };
});

const ACCOUNT = "123456789012";
const LIMIT_MS = 30_000;
const work = mkdtempSync(join(tmpdir(), "verify-cannot-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 answering with `handler`; counts the requests it received. */
async function httpServer(handler: Handler): Promise<{ url: string; requests: () => number; close: () => void }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    count += 1;
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A fake AWS: STS answers; KMS, S3 and CloudFront (its REST paths) answer as `kms`, `s3` and `cloudfront` say. */
function fakeAws(kms: Handler, s3: Handler, cloudfront: Handler = s3): Handler {
  return (req, body, res) => {
    if (body.includes("Action=GetCallerIdentity")) {
      res.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": "sts-1" });
      res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
          `<Arn>arn:aws:iam::${ACCOUNT}:user/verifier</Arn><UserId>AIDA</UserId><Account>${ACCOUNT}</Account>` +
          `</GetCallerIdentityResult><ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    } else if (String(req.headers["x-amz-target"] ?? "").startsWith("TrentService.")) kms(req, body, res);
    else if ((req.url ?? "").startsWith("/2020-05-31/")) cloudfront(req, body, res);
    else s3(req, body, res);
  };
}

/** KMS refusing every call, as AWS does when the identity policy lacks the action. */
const kmsDenied: Handler = (req, _body, res) => {
  const action = String(req.headers["x-amz-target"]).replace("TrentService.", "kms:");
  res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "kms-1" });
  res.end(JSON.stringify({ __type: "AccessDeniedException", message: `User is not authorized to perform: ${action}` }));
};

/** KMS with no aliases at all. */
const kmsEmpty: Handler = (_req, _body, res) => {
  res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "kms-2" });
  res.end(JSON.stringify({ Aliases: [], Truncated: false }));
};

/** S3 refusing every call: 403 AccessDenied, with no body for a HEAD, as S3 answers. */
const s3Denied: Handler = (req, _body, res) => {
  res.writeHead(403, { "content-type": "application/xml", "x-amz-request-id": "s3-1" });
  res.end(
    req.method === "HEAD" ? undefined : "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
  );
};

/**
 * S3 with no default encryption on any bucket (the verifier then finds the keys through their
 * aliases, so KMS is asked next) and refusing everything else.
 */
const s3WithoutEncryption: Handler = (req, body, res) => {
  if (req.method === "GET" && /[?&]encryption(=|&|$)/.test(req.url ?? "")) {
    res.writeHead(404, { "content-type": "application/xml", "x-amz-request-id": "s3-2" });
    res.end("<Error><Code>ServerSideEncryptionConfigurationNotFoundError</Code><Message>none</Message></Error>");
  } else s3Denied(req, body, res);
};

/**
 * CloudFront listing no origin access control and refusing ListDistributions, as AWS does when
 * the identity policy lacks cloudfront:ListDistributions: HTTP 403, code AccessDenied
 * (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDistributions.html).
 */
const cloudfrontDeniesListDistributions: Handler = (req, _body, res) => {
  const xmlns = 'xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';
  if (req.method === "GET" && (req.url ?? "").startsWith("/2020-05-31/origin-access-control")) {
    res.writeHead(200, { "content-type": "text/xml", "x-amz-request-id": "cf-1" });
    res.end(
      `<OriginAccessControlList ${xmlns}><Marker></Marker><MaxItems>100</MaxItems>` +
        "<IsTruncated>false</IsTruncated><Quantity>0</Quantity></OriginAccessControlList>",
    );
    return;
  }
  res.writeHead(403, { "content-type": "text/xml", "x-amz-request-id": "cf-2" });
  res.end(
    `<ErrorResponse ${xmlns}><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
      `<Message>User is not authorized to perform: cloudfront:ListDistributions</Message></Error>` +
      "<RequestId>cf-2</RequestId></ErrorResponse>",
  );
};

/** The environment of a run against `endpoint`, with test credentials. */
function envFor(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_S3_USE_PATH_STYLE: "true",
    SITE_CONFIG: join(work, "absent-is-an-error.json"),
    ...extra,
  };
}

/** A settings file with defaults only, but the CDN stage off (so verify asks S3 and KMS, never CloudFront). */
function defaultSettings(): string {
  const file = join(work, "site.config.json");
  writeFileSync(file, '{ "cdn": { "enabled": false } }\n');
  return file;
}

/** Runs `npm run verify -- --no-probe ...args` in this process; its exit code and how long it took. */
async function timedMain(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; ms: number }> {
  const started = Date.now();
  const code = await main(["--no-probe", ...args], env);
  return { code, ms: Date.now() - started };
}

describe("npm run verify when it cannot run", () => {
  const output = captureOutput();

  // The SDK's limits are the real ones (CALL_LIMITS: 6 s a request, 3 attempts), in jest's
  // simulated time: the request timeout and the retry back-off are timers (setTimeout in
  // @smithy/node-http-handler's setRequestTimeout and the standard retry strategy), so the clock
  // jumps over the waits instead of sleeping through them. It starts once the first
  // GetCallerIdentity reached the endpoint: before it, the run checks in real time whether moto
  // answers there (its own 1 s socket timeout, which jest's fake timers do not replace).
  it("exits 2 within 30 s when the endpoint accepts connections and never answers, naming it", async () => {
    const sockets: Socket[] = [];
    let asked = 0;
    const silent: NetServer = createNetServer((socket) => {
      sockets.push(socket);
      let received = "";
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString();
        if (received.includes("Action=GetCallerIdentity")) {
          asked += 1;
          received = "";
        }
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask", "performance"] });
    try {
      let finished = false;
      const running = timedMain(envFor(endpoint, { SITE_CONFIG: defaultSettings() })).finally(() => (finished = true));
      // Real I/O (the connection, the request reaching the listener) runs between the steps; a
      // run still waiting after 60 simulated or 35 real seconds fails here instead of hanging.
      const begun = performance.now();
      for (let steps = 0; !finished && steps < 600 && performance.now() - begun < 35_000;) {
        if (asked > 0) {
          await jest.advanceTimersByTimeAsync(100);
          steps += 1;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(finished).toBe(true);
      const run = await running;
      expect(run.code).toBe(2);
      expect(asked).toBe(3);
      // Three attempts of 6 s each, and the back-off between them, and no more.
      expect(run.ms).toBeGreaterThanOrEqual(18_000);
      expect(run.ms).toBeLessThan(LIMIT_MS);
      expect(output.stderr()).toContain(
        `verify: could not run: ${endpoint} did not answer GetCallerIdentity within 6 s (3 attempts): ` +
          "check the network and AWS_ENDPOINT_URL",
      );
    } finally {
      jest.useRealTimers();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 40_000);

  it("names an endpoint that answers HTTP 404 as not AWS, not as refused credentials", async () => {
    const notAws = await httpServer((_req, _body, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><body>Not Found</body></html>");
    });
    try {
      const run = await timedMain(envFor(notAws.url, { SITE_CONFIG: defaultSettings() }));
      expect(run.code).toBe(2);
      expect(run.ms).toBeLessThan(LIMIT_MS);
      expect(output.stderr()).toMatch(
        new RegExp(`could not run: ${notAws.url} is not an AWS endpoint: it answered GetCallerIdentity with HTTP 404 `),
      );
      expect(output.stderr()).toMatch(/Check AWS_ENDPOINT_URL/);
      expect(output.stderr()).not.toMatch(/refused the credentials/);
    } finally {
      notAws.close();
    }
  }, 40_000);

  it("names kms:ListAliases when KMS refuses it, and exits 2", async () => {
    const aws = await httpServer(fakeAws(kmsDenied, s3WithoutEncryption));
    try {
      const run = await timedMain(envFor(aws.url, { SITE_CONFIG: defaultSettings() }));
      expect(run.code).toBe(2);
      expect(run.ms).toBeLessThan(LIMIT_MS);
      expect(output.stderr()).toMatch(
        new RegExp(
          `could not run: AWS denied ListAliases at ${aws.url}: the credentials lack kms:ListAliases\\. Grant it`,
        ),
      );
    } finally {
      aws.close();
    }
  }, 40_000);

  it("names cloudfront:ListDistributions when CloudFront refuses it, and exits 2", async () => {
    const aws = await httpServer(fakeAws(kmsEmpty, s3WithoutEncryption, cloudfrontDeniesListDistributions));
    const settings = join(work, "cdn.config.json");
    writeFileSync(settings, '{ "cdn": { "enabled": true } }\n');
    try {
      const run = await timedMain(envFor(aws.url, { SITE_CONFIG: settings }));
      expect(run.code).toBe(2);
      expect(run.ms).toBeLessThan(LIMIT_MS);
      expect(output.stderr()).toMatch(
        new RegExp(
          `could not run: AWS denied ListDistributions at ${aws.url}: the credentials lack cloudfront:ListDistributions\\. Grant it`,
        ),
      );
      expect(output.stdout()).toBe("");
    } finally {
      aws.close();
    }
  }, 40_000);

  it("says KMS cannot be reached, naming the call, when only its endpoint is down", async () => {
    const aws = await httpServer(fakeAws(kmsEmpty, s3WithoutEncryption));
    const closed = await httpServer(() => undefined);
    closed.close();
    try {
      const run = await timedMain(
        envFor(aws.url, { SITE_CONFIG: defaultSettings(), AWS_ENDPOINT_URL_KMS: closed.url }),
      );
      expect(run.code).toBe(2);
      expect(run.ms).toBeLessThan(LIMIT_MS);
      expect(output.stderr()).toContain(
        `could not run: cannot reach ${closed.url} for ListAliases (ECONNREFUSED): check AWS_ENDPOINT_URL`,
      );
    } finally {
      aws.close();
    }
  }, 40_000);

  it("reports an S3 AccessDenied as a missing permission (exit 2), not as drift", async () => {
    const aws = await httpServer(fakeAws(kmsEmpty, s3WithoutEncryption));
    try {
      const run = await timedMain(envFor(aws.url, { SITE_CONFIG: defaultSettings() }));
      expect(run.code).toBe(2);
      const denied =
        /could not run: AWS denied (\w+) on portfolio-site-[\w-]+ at http:\/\/127\.0\.0\.1:\d+: the credentials lack (s3:\w+)\. Grant it/.exec(
          output.stderr(),
        );
      expect(denied).not.toBeNull();
      // The permission named is the one AWS checks for the call that was refused.
      expect(VERIFY_READS[`${denied?.[1]}Command`].actions).toEqual([denied?.[2]]);
      expect(output.stdout()).toBe("");
    } finally {
      aws.close();
    }
  }, 40_000);

  it("refuses --json into a folder that does not exist before any AWS call", async () => {
    const aws = await httpServer(fakeAws(kmsEmpty, s3WithoutEncryption));
    const target = join(work, "no-such-folder", "report.json");
    try {
      const run = await timedMain(envFor(aws.url, { SITE_CONFIG: defaultSettings() }), "--json", target);
      expect(run.code).toBe(2);
      expect(output.stderr()).toContain(
        `verify: could not run: cannot write --json ${target}: the folder ${join(work, "no-such-folder")} does not exist. ` +
          "Create it, or choose another path",
      );
      expect(aws.requests()).toBe(0);
    } finally {
      aws.close();
    }
  });

  it("refuses --json naming a folder", async () => {
    const run = await timedMain(envFor("http://127.0.0.1:9"), "--json", work);
    expect(run.code).toBe(2);
    expect(output.stderr()).toContain(`cannot write --json ${work}: it is a folder. Name a file`);
  });

  it("names the user's config file when the settings are invalid, never a temporary copy", async () => {
    const file = join(work, "bad.config.json");
    writeFileSync(file, JSON.stringify({ primaryRegion: "mars-1" }));
    const run = await timedMain(envFor("http://127.0.0.1:9", { SITE_CONFIG: file }));
    expect(run.code).toBe(2);
    expect(output.stderr()).toContain(`verify: could not run: Invalid site configuration (${file})`);
    expect(output.stderr()).toMatch(/primaryRegion \(got "mars-1"\)/);
    expect(output.stderr()).not.toContain(tmpdir() + "/site-verify-");
    expect(output.stderr()).toMatch(/Fix the file and run npm run verify again\./);
  });
});

describe("classifying an SDK error", () => {
  it("names the S3 permission a denied call needs, and the bucket", async () => {
    const aws = await httpServer(fakeAws(kmsEmpty, s3WithoutEncryption));
    const clients = new AwsClients(envFor(aws.url));
    try {
      const error = await clients
        .s3("us-east-1")
        .send(new GetBucketPolicyCommand({ Bucket: "site-bucket" }))
        .catch((e: unknown) => e);
      const classified = cannotRunOf(error);
      expect(classified).toBeInstanceOf(CannotRunError);
      expect(classified?.reason).toBe("permission");
      expect(classified?.message).toMatch(
        /^AWS denied GetBucketPolicy on site-bucket at http:\/\/127\.0\.0\.1:\d+: the credentials lack s3:GetBucketPolicy\./,
      );
    } finally {
      clients.destroy();
      aws.close();
    }
  });

  it("leaves an answer about the resource to the verifier's rows", async () => {
    const aws = await httpServer((_req, _body, res) => {
      res.writeHead(404, { "content-type": "application/xml", "x-amz-request-id": "s3-2" });
      res.end("<Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message></Error>");
    });
    const clients = new AwsClients(envFor(aws.url));
    try {
      const error = await clients
        .s3("us-east-1")
        .send(new GetBucketPolicyCommand({ Bucket: "site-bucket" }))
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe("NoSuchBucketPolicy");
      expect(cannotRunOf(error)).toBeUndefined();
    } finally {
      clients.destroy();
      aws.close();
    }
  });

  it("says no credentials were found, and how to give some", () => {
    const error = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(cannotRunOf(error)?.message).toMatch(
      /^no AWS credentials were found at the AWS endpoint: set AWS_PROFILE, or sign in \(aws sso login\)/,
    );
  });
});
