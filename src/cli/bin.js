#!/usr/bin/env node
// The `nets-sms-idp` command: Node runs the TypeScript entry directly (type stripping, Node 24).
const { run, processIo } = await import('./main.ts');
process.exitCode = await run(process.argv.slice(2), processIo());
