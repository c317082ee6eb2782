// `npm run publish` as a command: its arguments, where it finds its target, and its exit codes:
// 0 done, 1 some files failed, 2 could not run (with what to do, and nothing written).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudFrontClient, CreateInvalidationCommand, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { main } from "../../src/cli/publish";
import { PROJECT_DIR } from "../../src/ops/terraform/synth";
import { captureOutput } from "./helpers/captured-output";

const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const cloudfront = mockClient(CloudFrontClient);
const BUCKET = "portfolio-site-primary-123456789012";
let work: string;
let env: NodeJS.ProcessEnv;
const output = captureOutput();

beforeEach(() => {
  s3.reset();
  sts.reset();
  cloudfront.reset();
  work = mkdtempSync(join(tmpdir(), "publish-command-"));
  env = {
    SITE_CONFIG: join(work, "site.config.json"),
    AWS_ACCESS_KEY_ID: "k",
    AWS_SECRET_ACCESS_KEY: "s",
    AWS_REGION: "us-east-1",
  };
  writeFileSync(env.SITE_CONFIG as string, "{}");
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/u" });
  s3.on(HeadBucketCommand).resolves({});
  s3.on(ListObjectVersionsCommand).resolves({ Versions: [] });
  s3.on(GetObjectCommand).rejects(Object.assign(new Error("none"), { name: "NoSuchKey" }));
  s3.on(PutObjectCommand).resolves({ VersionId: "v1" });
  cloudfront.on(ListDistributionsCommand).resolves({ DistributionList: { Items: [], IsTruncated: false } as never });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A site folder with `files`; returns its path. */
function site(files: Record<string, string> = { "index.html": "<p>hi</p>", "a.css": "b{}" }): string {
  const dir = join(work, "site");
  mkdirSync(dir, { recursive: true });
  for (const [key, body] of Object.entries(files)) writeFileSync(join(dir, key), body);
  return dir;
}

/** HeadBucket answers after `ms`, and `events` records when. */
function headBucketAnswersAfter(ms: number, events: string[]): void {
  s3.on(HeadBucketCommand).callsFake(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    events.push("HeadBucket answered");
    return {};
  });
}

describe("npm run publish", () => {
  it("prints its usage with --help and exits 0", async () => {
    expect(await main(["--help"], env)).toBe(0);
    expect(output.stdout()).toContain("Usage: npm run publish [-- <dir>] [--dry-run] [--no-delete] [--wait]");
  });

  it("refuses an unknown option or a second folder with exit 2 and the usage", async () => {
    expect(await main(["--force"], env)).toBe(2);
    expect(await main(["a", "b"], env)).toBe(2);
    expect(output.stderr()).toContain('publish: unexpected argument "b"');
  });

  it("publishes into the primary bucket named from the settings and the account, and exits 0", async () => {
    expect(await main([site()], env)).toBe(0);
    expect(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Bucket, c.args[0].input.Key])).toEqual([
      [BUCKET, "a.css"],
      [BUCKET, "index.html"],
      [BUCKET, "site-storage-publish/manifest.json"],
    ]);
    expect(output.stdout()).toContain(`Published to s3://${BUCKET} (account 123456789012)`);
    expect(output.stdout()).toContain("no invalidation: the stack has no CloudFront distribution deployed");
  });

  it("starts listing the bucket as soon as STS names it, before the bucket is known to exist", async () => {
    const events: string[] = [];
    headBucketAnswersAfter(20, events);
    s3.on(ListObjectVersionsCommand).callsFake(() => {
      events.push("ListObjectVersions sent");
      return { Versions: [] };
    });
    expect(await main([site()], env)).toBe(0);
    expect(events).toEqual(["ListObjectVersions sent", "HeadBucket answered"]);
  });

  it("reads no object before the bucket is known to exist", async () => {
    const events: string[] = [];
    headBucketAnswersAfter(20, events);
    s3.on(GetObjectCommand).callsFake(() => {
      events.push("GetObject sent");
      throw Object.assign(new Error("none"), { name: "NoSuchKey" });
    });
    expect(await main([site()], env)).toBe(0);
    expect(events).toEqual(["HeadBucket answered", "GetObject sent"]);
  });

  describe("on an emulator (the endpoint answers), where the bucket policy is lifted for object calls", () => {
    let endpoint: Server;
    beforeAll(async () => {
      endpoint = createServer((_request, response) => response.end("ok"));
      await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise((resolve) => endpoint.close(resolve)));
    const onEmulator = () => ({
      ...env,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`,
    });
    const POLICY = '{"Version":"2012-10-17","Statement":[]}';

    it("lifts the policy while the bucket is checked, and reads no object before the check passes", async () => {
      const events: string[] = [];
      headBucketAnswersAfter(50, events);
      s3.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
      s3.on(DeleteBucketPolicyCommand).callsFake(() => {
        events.push("policy lifted");
        return {};
      });
      s3.on(PutBucketPolicyCommand).resolves({});
      s3.on(GetObjectCommand).callsFake(() => {
        events.push("GetObject sent");
        throw Object.assign(new Error("none"), { name: "NoSuchKey" });
      });
      expect(await main([site()], onEmulator())).toBe(0);
      expect(events).toEqual(["policy lifted", "HeadBucket answered", "GetObject sent"]);
      expect(s3.commandCalls(PutBucketPolicyCommand).map((c) => c.args[0].input.Policy)).toEqual([POLICY]);
    });

    it("exits 2 naming the missing bucket, although the policy lift met it first", async () => {
      s3.on(HeadBucketCommand).callsFake(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw Object.assign(new Error("not found"), { name: "NotFound" });
      });
      s3.on(GetBucketPolicyCommand).rejects(Object.assign(new Error("no bucket"), { name: "NoSuchBucket" }));
      s3.on(ListObjectVersionsCommand).rejects(Object.assign(new Error("no bucket"), { name: "NoSuchBucket" }));
      expect(await main([site()], onEmulator())).toBe(2);
      expect(output.stderr()).toContain(`the primary bucket ${BUCKET} does not exist in account 123456789012`);
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    });
  });

  it("finds a relative folder from where the user typed the command, not npm's project folder", async () => {
    site();
    expect(await main(["site"], { ...env, INIT_CWD: work })).toBe(0);
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toContain("index.html");
  });

  it("publishes the settings' publish.directory, relative to the project, when no folder is named", async () => {
    writeFileSync(env.SITE_CONFIG as string, JSON.stringify({ publish: { directory: "no-such-build-output" } }));
    expect(await main([], env)).toBe(2);
    expect(output.stderr()).toContain(
      `${join(PROJECT_DIR, "no-such-build-output")} is not a folder: build the site first`,
    );
  });

  it("invalidates through the distribution whose origin is the primary bucket", async () => {
    cloudfront.on(ListDistributionsCommand).resolves({
      DistributionList: {
        IsTruncated: false,
        Items: [
          {
            Id: "EOTHER",
            Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "other.s3.us-east-1.amazonaws.com" }] },
          },
          {
            Id: "EMINE",
            Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: `${BUCKET}.s3.us-east-1.amazonaws.com` }] },
          },
        ],
      } as never,
    });
    cloudfront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: "I9" } as never });
    expect(await main([site()], env)).toBe(0);
    expect(cloudfront.commandCalls(CreateInvalidationCommand)[0].args[0].input.DistributionId).toBe("EMINE");
  });

  it("invalidates through the distribution cloudfrontDistributionArn names, without listing", async () => {
    writeFileSync(
      env.SITE_CONFIG as string,
      JSON.stringify({
        cloudfrontDistributionArn: "arn:aws:cloudfront::123456789012:distribution/EPINNED",
        cdn: { enabled: false },
      }),
    );
    cloudfront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: "I9" } as never });
    expect(await main([site()], env)).toBe(0);
    expect(cloudfront.commandCalls(ListDistributionsCommand)).toHaveLength(0);
    expect(cloudfront.commandCalls(CreateInvalidationCommand)[0].args[0].input.DistributionId).toBe("EPINNED");
  });

  it("exits 1 naming the file that failed", async () => {
    s3.on(PutObjectCommand, { Key: "index.html" }).rejects(Object.assign(new Error("boom"), { name: "InternalError" }));
    expect(await main([site()], env)).toBe(1);
    expect(output.stdout()).toContain("  - index.html: InternalError: boom");
  });

  it.each([
    ["the folder is missing", () => join(work, "missing"), /is not a folder: build the site first/],
    ["the folder is empty", () => (mkdirSync(join(work, "empty")), join(work, "empty")), /holds no file/],
    [
      "a file has no known type",
      () => site({ "index.html": "x", LICENSE: "y" }),
      /LICENSE: has an extension the content-type library does not know/,
    ],
    [
      "a file would publish a secret",
      () => site({ "index.html": "x", ".env": "y" }),
      /\.env: is a dotfile; allow it with publish\.allowDotfiles/,
    ],
  ])("exits 2 and writes nothing when %s", async (_, dir, message) => {
    expect(await main([dir()], env)).toBe(2);
    expect(output.stderr()).toMatch(message);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  it("exits 2 with what to do when there are no credentials", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }));
    expect(await main([site()], env)).toBe(2);
    expect(output.stderr()).toContain(
      "publish: could not run: no AWS credentials were found at AWS STS in us-east-1: set AWS_PROFILE, or sign in",
    );
  });

  it("exits 2 when the endpoint cannot be reached", async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }));
    expect(await main([site()], { ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" })).toBe(2);
    expect(output.stderr()).toContain(
      "cannot reach http://127.0.0.1:9 for GetCallerIdentity (ECONNREFUSED): check AWS_ENDPOINT_URL",
    );
  });

  it("exits 2 when nothing is deployed, naming the bucket it looked for", async () => {
    s3.on(HeadBucketCommand).rejects(Object.assign(new Error("not found"), { name: "NotFound" }));
    s3.on(ListObjectVersionsCommand).rejects(Object.assign(new Error("no bucket"), { name: "NoSuchBucket" }));
    expect(await main([site()], env)).toBe(2);
    expect(output.stderr()).toContain(
      `the primary bucket ${BUCKET} does not exist in account 123456789012: deploy site-storage first`,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("exits 2 when the distributions cannot be listed, before writing anything", async () => {
    cloudfront.on(ListDistributionsCommand).rejects(Object.assign(new Error("no"), { name: "AccessDenied" }));
    expect(await main([site()], env)).toBe(2);
    expect(output.stderr()).toContain("the credentials need cloudfront:ListDistributions");
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("exits 2 on invalid publish settings, naming each field, value and rule", async () => {
    writeFileSync(
      env.SITE_CONFIG as string,
      JSON.stringify({
        publish: { fingerprint: "([", invalidationCollapseAt: 0, cacheControl: { "/abs/**": "x" }, extra: 1 },
      }),
    );
    expect(await main([site()], env)).toBe(2);
    const text = output.stderr();
    expect(text).toContain("4 problem(s)");
    expect(text).toContain('publish.fingerprint (got "(["): must be a valid regular expression');
    expect(text).toContain("publish.invalidationCollapseAt (got 0): must be a whole number from 1 to 3000");
    expect(text).toContain(
      'publish.cacheControl./abs/** (got "/abs/**"): must be a glob relative to the published folder',
    );
    expect(text).toContain("publish.extra (got 1): is not a known setting");
  });

  it("prints the dry run and writes nothing", async () => {
    expect(await main([site(), "--dry-run"], env)).toBe(0);
    expect(output.stdout()).toContain("Dry run: nothing is written.");
    expect(output.stdout()).toContain("would upload a.css");
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
