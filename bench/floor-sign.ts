// Floor, part 1 (run pinned, as its own process): RSA signatures per second with the IdP's own signing key, the
// way the IdP signs (a KeyObject made once, SHA-256). Prints one JSON line.

import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

const keyFile = process.argv[2];
if (keyFile === undefined) throw new Error('usage: floor-sign.ts <private key PEM file>');
const key = createPrivateKey(readFileSync(keyFile));
const data = Buffer.alloc(32, 7);
for (let i = 0; i < 50; i++) sign('sha256', data, key);
let count = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
while (performance.now() - t0 < 1500) {
  sign('sha256', data, key);
  count += 1;
}
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify({ signatures: count, cpuMsPerSignature: cpuMs / count })}\n`);
