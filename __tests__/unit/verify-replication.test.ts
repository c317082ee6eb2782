import { ReplicationRule } from "@aws-sdk/client-s3";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { judgeWithEmulatorDifference } from "../../src/ops/verify/emulator-notes";
import {
  compareReplicationRules,
  replicationRuleFromApi,
  replicationRuleFromTerraform,
} from "../../src/ops/verify/replication";

const REPLICA_KEY = "arn:aws:kms:us-west-2:123456789012:key/replica";

/** A resolved rule, as cdk.tf.json declares it. */
const declared = {
  id: "replicate-everything",
  status: "Enabled",
  filter: {},
  delete_marker_replication: { status: "Enabled" },
  source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
  destination: {
    bucket: "arn:aws:s3:::replica",
    storage_class: "STANDARD",
    encryption_configuration: { replica_kms_key_id: REPLICA_KEY },
  },
};

/** What AWS returns for it. */
const onAws: ReplicationRule = {
  ID: "replicate-everything",
  Status: "Enabled",
  Priority: 0,
  Filter: {},
  DeleteMarkerReplication: { Status: "Enabled" },
  SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } },
  Destination: {
    Bucket: "arn:aws:s3:::replica",
    StorageClass: "STANDARD",
    EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA_KEY },
  },
};

/** What moto returns for it (measured): delete markers Disabled, no SourceSelectionCriteria, Prefix "". */
const onMoto: ReplicationRule = {
  ID: "replicate-everything",
  Status: "Enabled",
  Priority: 0,
  Filter: { Prefix: "" },
  DeleteMarkerReplication: { Status: "Disabled" },
  Destination: {
    Bucket: "arn:aws:s3:::replica",
    StorageClass: "STANDARD",
    EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA_KEY },
  },
};

const compare = (live: ReplicationRule, emulator: boolean) =>
  compareReplicationRules([replicationRuleFromTerraform(declared)], [replicationRuleFromApi(live)], emulator);
const line = (lines: ReturnType<typeof compare>, field: string) => lines.find((l) => l.field === field);

describe("replication comparison", () => {
  it("passes every field when AWS returns what was declared", () => {
    const lines = compare(onAws, false);
    expect(lines.every((l) => l.pass)).toBe(true);
    expect(lines.map((l) => l.field)).toEqual([
      "status",
      "filter",
      "destination bucket",
      "storage class",
      "replica KMS key",
      "delete marker replication",
      "source selection criteria",
    ]);
  });

  it("does not compare the priority S3 assigns when none is declared, but does when one is", () => {
    expect(line(compare(onAws, false), "priority")).toBeUndefined();
    const lines = compareReplicationRules(
      [replicationRuleFromTerraform({ ...declared, priority: 1 })],
      [replicationRuleFromApi(onAws)],
      false,
    );
    expect(line(lines, "priority")).toMatchObject({ expected: "1", found: "0", pass: false });
  });

  it("accepts moto's two known differences on the emulator, keeping the declared expectation and naming them", () => {
    const lines = compare(onMoto, true);
    expect(lines.every((l) => l.pass)).toBe(true);
    expect(line(lines, "delete marker replication")).toMatchObject({
      expected: "Enabled",
      found: expect.stringMatching(/^Disabled \(known emulator difference: .*DeleteMarkerReplication/),
    });
    expect(line(lines, "source selection criteria")).toMatchObject({
      expected: "{SseKmsEncryptedObjects=Enabled}",
      found: expect.stringMatching(/^\(not set\) \(known emulator difference: /),
    });
  });

  it("fails the same read-back when it is not the emulator", () => {
    const lines = compare(onMoto, false);
    expect(lines.filter((l) => !l.pass).map((l) => l.field)).toEqual([
      "delete marker replication",
      "source selection criteria",
    ]);
  });

  it("fails on the emulator when a value is not exactly the one moto is known to return", () => {
    const odd: ReplicationRule = {
      ...onMoto,
      DeleteMarkerReplication: undefined,
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Disabled" } },
    };
    const lines = compare(odd, true);
    expect(line(lines, "delete marker replication")).toMatchObject({ found: "(not set)", pass: false });
    expect(line(lines, "source selection criteria")).toMatchObject({
      found: "{SseKmsEncryptedObjects=Disabled}",
      pass: false,
    });
  });

  it("fails a replica key that is not the declared one, even on the emulator", () => {
    const wrong = structuredClone(onMoto);
    wrong.Destination!.EncryptionConfiguration = { ReplicaKmsKeyID: "alias/portfolio-site-replica" };
    expect(line(compare(wrong, true), "replica KMS key")).toMatchObject({
      expected: REPLICA_KEY,
      found: "alias/portfolio-site-replica",
      pass: false,
    });
  });

  it("fails a different destination, storage class or narrower filter", () => {
    const wrong = structuredClone(onAws);
    wrong.Destination!.Bucket = "arn:aws:s3:::elsewhere";
    wrong.Destination!.StorageClass = "GLACIER";
    wrong.Filter = { Prefix: "only/" };
    expect(
      compare(wrong, false)
        .filter((l) => !l.pass)
        .map((l) => l.field),
    ).toEqual(["filter", "destination bucket", "storage class"]);
  });

  it("fails replication time control turned on but not declared", () => {
    const rtc = structuredClone(onAws);
    rtc.Destination!.ReplicationTime = { Status: "Enabled", Time: { Minutes: 15 } };
    expect(line(compare(rtc, false), "replication time control")).toMatchObject({ expected: "(not set)", pass: false });
  });

  it("fails a missing rule and an undeclared one", () => {
    const lines = compareReplicationRules(
      [replicationRuleFromTerraform(declared)],
      [replicationRuleFromApi({ ...onAws, ID: "other" })],
      false,
    );
    expect(lines).toEqual([
      expect.objectContaining({ id: "replicate-everything", field: "(rule)", found: "(no such rule)", pass: false }),
      expect.objectContaining({ id: "other", field: "(rule)", expected: "(not declared)", pass: false }),
    ]);
  });
});

describe("emulator differences", () => {
  it("names each difference once, by resource type and attribute", () => {
    const ids = EMULATOR_DIFFERENCES.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const difference of EMULATOR_DIFFERENCES) {
      expect(difference.resourceType).toMatch(/^aws_/);
      expect(difference.path.length).toBeGreaterThan(0);
    }
  });

  it("tolerates a value only on the emulator and only the exact one", () => {
    expect(judgeWithEmulatorDifference("replication-delete-marker-status", "Enabled", "Disabled", true).pass).toBe(
      true,
    );
    expect(judgeWithEmulatorDifference("replication-delete-marker-status", "Enabled", "Disabled", false).pass).toBe(
      false,
    );
    expect(judgeWithEmulatorDifference("replication-delete-marker-status", "Enabled", "disabled", true).pass).toBe(
      false,
    );
    expect(judgeWithEmulatorDifference("bucket-policy-conditions-ignored", "x", "y", true).pass).toBe(false);
  });
});
