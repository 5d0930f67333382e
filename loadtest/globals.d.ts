// k6 provides a console; @types/k6 does not declare it.
declare const console: { log(...args: unknown[]): void };
