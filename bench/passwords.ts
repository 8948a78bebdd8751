/** Section 4: bcryptjs time per hash at costs 10, 11, 12 on this machine. */
import bcrypt from 'bcryptjs';
import { median } from './stats.js';

export type CostTiming = { cost: number; runs: number; hashMs: number; hashCpuMs: number };

export async function benchBcrypt(costs: number[], runs: number): Promise<CostTiming[]> {
  const out: CostTiming[] = [];
  await bcrypt.hash('warm-up-password', 4);
  for (const cost of costs) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      // The async API, as lib/passwords.ts calls it.
      await bcrypt.hash(`Bench-password-${r}`, cost);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    out.push({ cost, runs, hashMs: median(wall), hashCpuMs: median(cpu) });
  }
  return out;
}
