import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = join(__dirname, "..", "..");
const workflowText = readFileSync(join(root, ".github", "workflows", "site-storage.yml"), "utf8");
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, unknown>;
}
interface Job {
  steps: Step[];
  env?: Record<string, unknown>;
  permissions?: Record<string, string>;
  environment?: string;
  needs?: string | string[];
  if?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean } | string;
}
interface Workflow {
  env?: Record<string, unknown>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const STATIC_KEY_INPUTS = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"];
const STATIC_KEY_ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/** Every `npm run <name>` a workflow calls, with the job it is in. */
function npmScriptsCalled(workflow: Workflow): { job: string; script: string }[] {
  return Object.entries(workflow.jobs).flatMap(([job, j]) =>
    j.steps.flatMap((step) =>
      [...(step.run ?? "").matchAll(/npm run(?:-script)? ([\w:-]+)/g)].map((m) => ({ job, script: m[1] })),
    ),
  );
}

/** Every way a workflow could hand static AWS keys to a step, as sentences. */
function staticKeyUses(workflow: Workflow): string[] {
  const problems: string[] = [];
  const checkEnv = (where: string, env?: Record<string, unknown>) => {
    for (const name of Object.keys(env ?? {})) {
      if (STATIC_KEY_ENV.includes(name)) problems.push(`${where} sets ${name}`);
    }
  };
  checkEnv("workflow env", workflow.env);
  for (const [name, job] of Object.entries(workflow.jobs)) {
    checkEnv(`job ${name} env`, job.env);
    job.steps.forEach((step, i) => {
      checkEnv(`job ${name} step ${i} env`, step.env);
      for (const input of Object.keys(step.with ?? {})) {
        if (STATIC_KEY_INPUTS.includes(input)) problems.push(`job ${name} step ${i} passes ${input}`);
      }
    });
  }
  if (/secrets\.AWS_(ACCESS|SECRET)/i.test(JSON.stringify(workflow)))
    problems.push("a step reads AWS keys from secrets");
  return problems;
}

describe("the GitHub Actions workflow", () => {
  const workflow = parse(workflowText) as Workflow;

  it("calls only npm scripts that package.json defines", () => {
    const called = npmScriptsCalled(workflow);
    expect(called.map((c) => c.script)).toEqual(
      expect.arrayContaining(["lint", "build", "test:unit", "plan", "apply", "verify", "publish"]),
    );
    const missing = called.filter((c) => scripts[c.script] === undefined);
    expect(missing).toEqual([]);
  });

  it("would notice a call to a script that does not exist", () => {
    const broken = parse(workflowText.replace("npm run plan", "npm run plan-typo")) as Workflow;
    expect(npmScriptsCalled(broken).filter((c) => scripts[c.script] === undefined)).toEqual([
      { job: "plan", script: "plan-typo" },
    ]);
  });

  it("never hands static AWS keys to a step", () => {
    expect(staticKeyUses(workflow)).toEqual([]);
  });

  it("would notice static keys given as action inputs or environment variables", () => {
    const withKeys = parse(
      workflowText
        .replace("role-to-assume: ${{ vars.AWS_PLAN_ROLE_ARN }}", "aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}")
        .replace('CHECKPOINT_DISABLE: "1"', 'AWS_SECRET_ACCESS_KEY: "x"'),
    ) as Workflow;
    expect(staticKeyUses(withKeys)).toEqual([
      "workflow env sets AWS_SECRET_ACCESS_KEY",
      expect.stringMatching(/^job plan step \d+ passes aws-access-key-id$/),
      "a step reads AWS keys from secrets",
    ]);
  });

  it("gets AWS credentials only through OIDC role assumption, with the id-token permission", () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const credentialSteps = job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(credentialSteps).toHaveLength(1);
      expect(credentialSteps[0].with).toEqual(
        expect.objectContaining({ "role-to-assume": expect.stringMatching(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/) }),
      );
      expect({ job: name, permissions: job.permissions }).toEqual({
        job: name,
        permissions: { contents: "read", "id-token": "write" },
      });
    }
  });

  it("pins every action by a full commit SHA", () => {
    const uses = Object.values(workflow.jobs).flatMap((j) =>
      j.steps.map((s) => s.uses).filter((u): u is string => u !== undefined),
    );
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((u) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u))).toEqual([]);
  });

  it("runs Node.js 22 in every job (Node 20 reached its end of life in April 2026)", () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const setups = job.steps.filter((s) => s.uses?.startsWith("actions/setup-node@"));
      expect({ job: name, versions: setups.map((s) => String(s.with?.["node-version"])) }).toEqual({
        job: name,
        versions: ["22"],
      });
    }
  });

  it("carries the plan folder to the apply job without any .terraform folder", () => {
    const upload = workflow.jobs.plan.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    const paths = (upload?.with?.path ?? "")
      .split("\n")
      .map((p) => p.trim())
      .filter(Boolean);
    expect(paths).toEqual([".plan/", "!.plan/**/.terraform/"]);
    // The lock file is hidden: without this, apply could not install the provider it was planned with.
    expect(String(upload?.with?.["include-hidden-files"])).toBe("true");
  });

  it("applies only on main, after the plan job, behind a protected environment", () => {
    const apply = workflow.jobs.apply;
    expect(apply.needs).toBe("plan");
    expect(apply.environment).toBe("production");
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(apply.steps.map((s) => s.run).filter(Boolean)).toEqual([
      "npm ci",
      "npm run apply",
      "npm run verify -- --no-probe",
    ]);
  });

  it("verifies every deployment it makes, read-only, right after the apply and with the apply role", () => {
    const steps = workflow.jobs.apply.steps;
    const credentials = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    const applied = steps.findIndex((s) => s.run === "npm run apply");
    const verified = steps.findIndex((s) => s.run?.startsWith("npm run verify"));
    expect(steps[credentials].with?.["role-to-assume"]).toBe("${{ vars.AWS_APPLY_ROLE_ARN }}");
    expect(credentials).toBeLessThan(applied);
    expect(verified).toBe(applied + 1);
    // The probe writes an object: the pipeline's check stays read-only.
    expect(steps[verified].run).toMatch(/ --no-probe$/);
  });

  it("publishes only on main, after the apply job and its verify, in the production environment", () => {
    const publish = workflow.jobs.publish;
    expect(publish.needs).toBe("apply");
    expect(publish.environment).toBe("production");
    expect(publish.if).toBe(workflow.jobs.apply.if);
    // The folder is the settings' publish.directory: no argument, so it is named in one place.
    expect(publish.steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm run publish"]);
  });

  it("publishes with the publish role, assumed before the publish and used by nothing else", () => {
    const steps = workflow.jobs.publish.steps;
    const credentials = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    const published = steps.findIndex((s) => s.run === "npm run publish");
    expect(steps[credentials].with?.["role-to-assume"]).toBe("${{ vars.AWS_PUBLISH_ROLE_ARN }}");
    expect(credentials).toBeLessThan(published);
    const otherJobsRoles = Object.entries(workflow.jobs)
      .filter(([name]) => name !== "publish")
      .flatMap(([, job]) => job.steps.map((s) => s.with?.["role-to-assume"]).filter(Boolean));
    expect(otherJobsRoles).not.toContain("${{ vars.AWS_PUBLISH_ROLE_ARN }}");
  });

  it("puts every job that takes the state's lock in one group per repository and state, never per ref", () => {
    expect(workflow.concurrency).toBeUndefined();
    const groups = Object.entries(workflow.jobs).map(([name, job]) => ({ name, concurrency: job.concurrency }));
    expect(groups).toEqual([
      {
        name: "plan",
        concurrency: { group: "site-storage-state-${{ github.repository }}", "cancel-in-progress": false },
      },
      {
        name: "apply",
        concurrency: { group: "site-storage-state-${{ github.repository }}", "cancel-in-progress": false },
      },
      {
        name: "publish",
        concurrency: { group: "site-storage-state-${{ github.repository }}", "cancel-in-progress": false },
      },
    ]);
    expect(workflowText).not.toMatch(/group:.*github\.(ref|head_ref|event\.number)/);
  });
});
