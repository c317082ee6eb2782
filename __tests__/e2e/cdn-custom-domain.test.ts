// The CDN stage with a custom domain, on the emulator: a Route 53 hosted zone that the test
// creates (the stack never creates one: validation would wait on a delegation it cannot make),
// then the stack with `cdn.domainNames` and `cdn.hostedZoneId`. Deploy (an ACM certificate in
// us-east-1, its DNS validation records, aws_acm_certificate_validation, A and AAAA aliases to
// the distribution), verify, re-plan, destroy; the zone is empty again afterwards.
//
// The zone is made through Route 53's REST API with fetch: the project has no Route 53 SDK client
// (the stack's records are Terraform's), and moto does not check signatures. moto picks the
// service from the Authorization header's credential scope, so the header names route53.
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { LocalSession } from "../../src/ops/local-run/session";
import { ResourceTiming, resourceTimings } from "../../src/ops/local-run/run-report";
import { classifyReplan } from "../../src/ops/plan/replan";
import { discoverTools } from "../../src/ops/tools";
import { VerifyRow, rowPasses } from "../../src/ops/verify/row";
import { verifyDeployment } from "../../src/ops/verify/verify";
import { describeE2e } from "./support";

const ZONE = "example.com";
const NAMES = ["example.com", "www.example.com"];
const ROUTE53 = "2013-04-01";

/** One Route 53 REST call to the emulator; the XML it answers with. */
async function route53(endpoint: string, method: string, path: string, body?: string): Promise<string> {
  const response = await fetch(`${endpoint}/${ROUTE53}/${path}`, {
    method,
    body,
    headers: {
      authorization:
        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0",
    },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Route 53 ${method} ${path} answered ${response.status}: ${text}`);
  return text;
}

/**
 * Creates a public hosted zone; its id without `/hostedzone/`. AWS's zone ids start with Z, and
 * the settings require that; moto's are 22 random letters and digits (emulator difference
 * route53-zone-id-format), so zones are created and deleted until moto hands out one that
 * starts with Z (one in 36: a few dozen calls of a few milliseconds).
 */
async function createZone(endpoint: string, name: string): Promise<string> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const xml = await route53(
      endpoint,
      "POST",
      "hostedzone",
      `<?xml version="1.0" encoding="UTF-8"?><CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/${ROUTE53}/">` +
        `<Name>${name}.</Name><CallerReference>cdn-custom-domain-e2e-${attempt}</CallerReference></CreateHostedZoneRequest>`,
    );
    const id = /<Id>\/hostedzone\/([^<]+)<\/Id>/.exec(xml)?.[1];
    if (id === undefined) throw new Error(`no zone id in ${xml}`);
    if (id.startsWith("Z")) return id;
    await route53(endpoint, "DELETE", `hostedzone/${id}`);
  }
  throw new Error("moto handed out no hosted zone id starting with Z in 1000 attempts");
}

/** The zone's records as `name type`, with the alias target's DNS name when there is one. */
async function records(endpoint: string, zoneId: string): Promise<string[]> {
  const xml = await route53(endpoint, "GET", `hostedzone/${zoneId}/rrset`);
  return [...xml.matchAll(/<ResourceRecordSet>([\s\S]*?)<\/ResourceRecordSet>/g)].map(([, set]) => {
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(set)?.[1];
    const alias = field("DNSName");
    return `${field("Name")} ${field("Type")}${alias === undefined ? "" : ` -> ${alias}`}`;
  });
}

describeE2e("the CDN stage with a custom domain in an existing hosted zone", () => {
  jest.setTimeout(600_000);
  let session: LocalSession;
  let zoneId = "";
  let applied: ResourceTiming[] = [];
  let deployedRecords: string[] = [];
  let rows: VerifyRow[] = [];
  let notShown: string[] = [];
  let outputs: Record<string, string> = {};

  beforeAll(async () => {
    session = await LocalSession.open({ region: "us-east-1", tools: discoverTools() });
    zoneId = await createZone(session.emulator.endpoint, ZONE);
    const synthesized = await session.synth({ protectData: false, cdn: { domainNames: NAMES, hostedZoneId: zoneId } });
    await session.init();
    applied = resourceTimings((await session.apply(await session.plan("deploy"))).stdout);
    deployedRecords = await records(session.emulator.endpoint, zoneId);
    outputs = await session.terraform.outputs();
    const result = await verifyDeployment({
      synthesized: synthesized.json,
      env: session.env,
      tolerances: EMULATOR_DIFFERENCES,
    });
    rows = [...result.rows];
    notShown = [...result.notShown];
  }, 600_000);

  afterAll(async () => {
    await session?.close({ removeWorkDir: true });
  });

  const created = (type: string) =>
    applied.filter((t) => t.operation === "Creation" && t.address.startsWith(`${type}.`));

  it("creates the certificate, one validation record per name, the validation, and an A and AAAA alias per name", () => {
    expect(created("aws_acm_certificate")).toHaveLength(1);
    expect(created("aws_acm_certificate_validation")).toHaveLength(1);
    expect(created("aws_route53_record")).toHaveLength(NAMES.length * 3);
    expect(created("aws_cloudfront_distribution")).toHaveLength(1);
  });

  it("issues the certificate at once: the emulator starts with no ACM validation wait", () => {
    expect(created("aws_acm_certificate_validation")[0].seconds).toBeLessThan(20);
  });

  it("points an A and an AAAA alias of every name at the distribution", () => {
    const domain = outputs.cdn_domain_name ?? Object.values(outputs).find((v) => /\.cloudfront\.net$/.test(v));
    expect(domain).toMatch(/\.cloudfront\.net$/);
    for (const name of NAMES) {
      expect(deployedRecords).toContain(`${name}. A -> ${domain}`);
      expect(deployedRecords).toContain(`${name}. AAAA -> ${domain}`);
    }
    expect(deployedRecords.filter((r) => / CNAME$/.test(r))).toHaveLength(NAMES.length);
  });

  it("verifies the distribution with its aliases and certificate: every row passes", () => {
    expect(rows.filter((row) => !rowPasses(row))).toEqual([]);
    const distribution = rows.filter((row) => row.resource.startsWith("aws_cloudfront_distribution."));
    // Tolerated for the listed read-backs only (the origin's OAC id, the default-certificate flag);
    // the aliases and the ACM certificate's ARN are compared and match.
    expect(distribution.length).toBeGreaterThan(0);
    expect(
      distribution.filter((r) => r.status !== "tolerated" || !/^known emulator difference/.test(r.note ?? "")),
    ).toEqual([]);
    expect(notShown.join("\n")).toMatch(/aws_acm_certificate/);
  });

  it("re-plans with nothing to change but the listed emulator differences", async () => {
    const verdict = classifyReplan((await session.plan("replan")).json, EMULATOR_DIFFERENCES);
    expect(verdict.unexplained).toEqual([]);
  });

  it("destroys everything it made, leaving the zone as the test created it", async () => {
    await session.destroy();
    expect(await session.remaining()).toEqual([]);
    expect((await records(session.emulator.endpoint, zoneId)).filter((r) => !/ (NS|SOA)$/.test(r))).toEqual([]);
    await route53(session.emulator.endpoint, "DELETE", `hostedzone/${zoneId}`);
  });
});
