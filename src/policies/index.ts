export * from "./bucket-policy";
export * from "./document";
export * from "./key-policy";
export * from "./replication-role";
