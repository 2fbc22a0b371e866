/**
 * The load of scenario (f), in its own process so that its CPU is its own: `connections` keep-alive
 * connections (node:http), each posting its share of `requests` single events, one at a time, each
 * `UnitRegistered` to a new unit under the district, as `demo-admin`. Prints JSON: requests/s, p50
 * and p99 in ms, and the CPU this process used (percent of one core over the run).
 *
 *   node -r ./tools/register.js tools/bench/http-load.ts <base url> <connections> <requests> <run id>
 */
import { Agent, request } from 'node:http';

const [base, connectionsArg, requestsArg, run] = process.argv.slice(2);
const connections = Number(connectionsArg);
const per = Math.ceil(Number(requestsArg) / connections);
const url = new URL(base);
const agent = new Agent({ keepAlive: true, maxSockets: connections });

const post = (id: string) => new Promise<void>((resolve, reject) => {
  const body = JSON.stringify({ type: 'UnitRegistered', occurredAt: '2022-01-10', data: { name: `Đơn vị ${id}`, kind: 'department', parentUnitId: 'ubnd-dak-song' } });
  const req = request({
    agent, host: url.hostname, port: url.port, method: 'POST', path: `/api/v1/units/${id}/events`,
    headers: { Authorization: 'Bearer demo-admin', 'Idempotency-Key': id, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST ${id}: ${res.statusCode} ${Buffer.concat(chunks)}`))));
  });
  req.on('error', reject);
  req.end(body);
});

const main = async () => {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async (_, w) => {
    for (let i = 0; i < per; i++) {
      const t = performance.now();
      await post(`h-${run}-${w}-${i}`);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  agent.destroy();
  console.log(JSON.stringify({
    requestsPerSec: latencies.length / seconds, seconds, p50: at(50), p99: at(99),
    cpuPercent: ((used.user + used.system) / 1e6 / seconds) * 100,
  }));
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
