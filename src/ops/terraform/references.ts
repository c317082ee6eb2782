import { isRecord, valueAt } from "../../common/json";
import { UnresolvedReferenceError } from "./errors";

/**
 * Resolves the Terraform references of synthesized JSON against an index of a deployment's
 * resources (a state, or `ops/deployment/live-index.ts`, rebuilt from AWS), so expectations are what
 * the stack declared, with the values AWS gave them. Supported: `${type.name.attr}`, `${data.type.name.attr}`, list indexes in the
 * attribute path (`${type.name.rule[0].id}`), and the escapes `$${` and `%%{`. Anything else
 * (a function, an operator, a variable, `count`) is refused: cdktf renders such expressions only
 * when the code asks for them, and guessing their value would make the expectation meaningless.
 */

/** One resource and the attribute values its references read. */
export interface StateResource {
  /** `type.name`, or `data.type.name`. */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

/** A resource of a state: its address is built from its mode, type and name. */
export function stateResource(
  mode: "managed" | "data",
  type: string,
  name: string,
  values: Record<string, unknown>,
): StateResource {
  return { address: `${mode === "data" ? "data." : ""}${type}.${name}`, mode, type, name, values };
}

/** Resources by address: what the deployment's references resolve to. */
export class StateIndex {
  private readonly byAddress: Map<string, StateResource>;

  constructor(resources: readonly StateResource[]) {
    this.byAddress = new Map(resources.map((resource) => [resource.address, resource]));
  }

  /** A resource by its address, or undefined. */
  at(address: string): StateResource | undefined {
    return this.byAddress.get(address);
  }

  /** A managed resource, or undefined. */
  managed(type: string, name: string): StateResource | undefined {
    return this.at(`${type}.${name}`);
  }
}

/** A parsed reference: which resource, which attribute path. */
export interface ParsedReference {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly path: readonly (string | number)[];
}

const IDENT = "[A-Za-z_][A-Za-z0-9_-]*";
const REFERENCE = new RegExp(`^(data\\.)?(${IDENT})\\.(${IDENT})((?:\\.${IDENT}|\\[\\d+\\])+)$`);

/** Parses the inside of `${...}` as a resource reference, or returns undefined for any other expression. */
export function parseReference(expression: string): ParsedReference | undefined {
  const match = REFERENCE.exec(expression.trim());
  if (match === null) return undefined;
  const [, data, type, name, rest] = match;
  const path = [...rest.matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
  return { mode: data ? "data" : "managed", type, name, path };
}

/** The value of one reference; throws UnresolvedReferenceError when there is none. */
function lookupReference(expression: string, index: StateIndex, where: string): unknown {
  const reference = `\${${expression}}`;
  const parsed = parseReference(expression);
  if (parsed === undefined) {
    const why =
      "only resource and data-source attribute references can be resolved (no functions, variables or operators)";
    throw new UnresolvedReferenceError(reference, where, why);
  }
  const address = `${parsed.mode === "data" ? "data." : ""}${parsed.type}.${parsed.name}`;
  const resource = index.at(address);
  if (resource === undefined) {
    throw new UnresolvedReferenceError(reference, where, `${address} is not part of the deployment that was found`);
  }
  const value = valueAt(resource.values, parsed.path);
  if (value === undefined || value === null) {
    throw new UnresolvedReferenceError(reference, where, `${address} has no value at "${parsed.path.join(".")}"`);
  }
  return value;
}

/**
 * Resolves one Terraform template string. A string that is exactly one reference yields the
 * referenced value with its type (as Terraform does); otherwise every reference is interpolated.
 */
export function resolveTemplate(template: string, index: StateIndex, where = ""): unknown {
  const whole = /^\$\{([^{}]*)\}$/.exec(template);
  if (whole !== null) return lookupReference(whole[1], index, where);
  if (/(^|[^%])%\{/.test(template)) {
    throw new UnresolvedReferenceError(template.slice(0, 40), where, "template directives (%{...}) are not supported");
  }
  return template.replace(/\$\$\{|%%\{|\$\{([^}]*)(\}|$)/g, (token, expression: string | undefined, end: string) => {
    if (token === "$${") return "${";
    if (token === "%%{") return "%{";
    if (end !== "}" || expression?.includes("{")) {
      throw new UnresolvedReferenceError(`\${${expression}`, where, "is not a closed, simple reference");
    }
    const value = lookupReference(String(expression), index, where);
    if (typeof value === "object") {
      throw new UnresolvedReferenceError(
        token,
        where,
        "is a list or object, which cannot be interpolated into a string",
      );
    }
    return String(value);
  });
}

/** Resolves every string inside `value` (objects and lists are walked); `where` names the place in cdk.tf.json. */
export function resolveReferences(value: unknown, index: StateIndex, where = ""): unknown {
  if (typeof value === "string") return resolveTemplate(value, index, where);
  if (Array.isArray(value)) return value.map((item, i) => resolveReferences(item, index, `${where}[${i}]`));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, resolveReferences(item, index, where ? `${where}.${key}` : key)]),
  );
}
