export * from "./aws-facts";
export * from "./errors";
export * from "./load";
export * from "./names";
export * from "./schema";
