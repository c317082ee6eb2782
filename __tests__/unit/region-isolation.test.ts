import { parsePolicy, statementOf } from "./helpers/policy-json";
import {
  Block,
  SiteFixture,
  addressOf,
  allResources,
  blockOf,
  expectedBucketName,
  BUCKET_CASES,
  refOf,
  synthSite,
} from "./helpers/site-fixture";
import { nonEmpty } from "./helpers/non-empty";

/** Every `${type.name.attr}` reference to a resource (not a data source) in a block. */
function resourceReferences(block: unknown): string[] {
  const text = JSON.stringify(block);
  return [...text.matchAll(/\$\{(?!data\.)([a-z0-9_]+\.[\w-]+)\./g)].map((m) => m[1]);
}

/** Every `${data.type.name.attr}` reference in a block. */
function dataReferences(block: unknown): string[] {
  return [...JSON.stringify(block).matchAll(/\$\{data\.([a-z0-9_]+\.[\w-]+)\./g)].map((m) => m[1]);
}

/** The resources declared through the replica region's provider. */
function replicaResources(site: SiteFixture): ReturnType<typeof allResources> {
  return allResources(site).filter(({ block }) => block.provider === "aws.replica");
}

describe("region isolation", () => {
  let site: SiteFixture;
  /** The replication link (role, its policy, the configuration): where the primary region must name the replica. */
  let linkAddresses: Set<string>;
  let providerOf: Map<string, string>;

  beforeAll(() => {
    site = synthSite({
      cloudfrontDistributionArn: "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL",
      cdn: { enabled: false },
    });
    const { replication } = site.stack;
    linkAddresses = new Set(
      [replication.role, replication.rolePolicy, replication.configuration].map((r) => addressOf(site, r)),
    );
    providerOf = new Map(allResources(site).map((r) => [r.address, r.block.provider]));
  });

  it("declares every resource and data source through an explicit, aliased provider", () => {
    const providers = [
      ...allResources(site).map((r) => r.block.provider),
      ...Object.values(site.json.data).flatMap((byId) => Object.values(byId).map((d: Block) => d.provider)),
    ];
    expect(new Set(providers)).toEqual(new Set(["aws.primary", "aws.replica"]));
  });

  it("lets a resource reference only resources declared through its own provider, outside the replication link", () => {
    const references = allResources(site)
      .filter(({ address }) => !linkAddresses.has(address))
      .flatMap(({ address, block }) => resourceReferences(block).map((target) => ({ address, target, block })));
    for (const { address, target, block } of nonEmpty(references, "reference between resources")) {
      expect({ address, target, provider: providerOf.get(target) }).toEqual({
        address,
        target,
        provider: block.provider,
      });
    }
  });

  it("reads only the account facts (account id, partition) across regions", () => {
    const sources = new Set(
      allResources(site)
        .flatMap((r) => dataReferences(r.block))
        .map((ref) => ref.split(".")[0]),
    );
    expect(sources).toEqual(new Set(["aws_caller_identity", "aws_partition"]));
  });

  it("never names a replica-region bucket in a primary-region resource, outside the replication link", () => {
    const replicaNames = nonEmpty(
      BUCKET_CASES.filter((b) => b.provider === "aws.replica").map((b) => expectedBucketName(site, b)),
      "replica-region bucket",
    );
    const primaryResources = allResources(site).filter(
      ({ address, block }) => block.provider === "aws.primary" && !linkAddresses.has(address),
    );
    for (const { address, block } of nonEmpty(primaryResources, "primary-region resource")) {
      const text = JSON.stringify(block);
      for (const name of replicaNames)
        expect({ address, names: text.includes(name) }).toEqual({ address, names: false });
    }
  });

  it("never names a primary-region bucket in a replica-region resource", () => {
    const primaryNames = nonEmpty(
      BUCKET_CASES.filter((b) => b.provider === "aws.primary").map((b) => expectedBucketName(site, b)),
      "primary-region bucket",
    );
    for (const { address, block } of nonEmpty(replicaResources(site), "replica-region resource")) {
      const text = JSON.stringify(block);
      for (const name of primaryNames)
        expect({ address, names: text.includes(name) }).toEqual({ address, names: false });
    }
  });

  it("never references the primary key from a replica-region resource", () => {
    const primaryKey = addressOf(site, site.stack.primaryKey.key);
    for (const { address, block } of nonEmpty(replicaResources(site), "replica-region resource")) {
      expect({ address, refs: resourceReferences(block).includes(primaryKey) }).toEqual({ address, refs: false });
    }
  });

  it("references the replica key from the primary region only as the replication destination", () => {
    const replicaKey = addressOf(site, site.stack.replicaKey.key);
    const replicaKeyRef = refOf(site, site.stack.replicaKey.key, "arn");
    const holders = allResources(site)
      .filter((r) => r.block.provider === "aws.primary" && resourceReferences(r.block).includes(replicaKey))
      .map((r) => r.address)
      .sort();
    expect(holders).toEqual(
      [
        addressOf(site, site.stack.replication.configuration),
        addressOf(site, site.stack.replication.rolePolicy),
      ].sort(),
    );

    // The replication configuration: only in the destination's encryption configuration.
    const configuration = blockOf(site, site.stack.replication.configuration);
    const { rule, ...rest } = configuration;
    const { destination, ...ruleRest } = rule[0];
    const { encryption_configuration: encryption, ...destinationRest } = destination;
    expect(JSON.stringify([rest, ruleRest, destinationRest])).not.toContain(replicaKey);
    expect(encryption).toEqual({ replica_kms_key_id: replicaKeyRef });

    // The role's policy: only in the statement that encrypts replicas with the destination key.
    const policy = parsePolicy(blockOf(site, site.stack.replication.rolePolicy).policy);
    const others = policy.Statement.filter((s) => s.Sid !== "EncryptWithDestinationKey");
    expect(JSON.stringify(others)).not.toContain(replicaKey);
    expect(statementOf(policy, "EncryptWithDestinationKey").Resource).toEqual([replicaKeyRef]);
  });
});
