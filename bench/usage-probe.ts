/**
 * Preloaded (`node -r`) into a measured child process: on exit it writes the whole process's resource usage, worker
 * threads included (getrusage), to the file named by BENCH_USAGE_FILE.
 */
import { writeFileSync } from 'node:fs'

export interface ProcessUsage {
  cpuUs: number
  maxRssBytes: number
}

const target = process.env.BENCH_USAGE_FILE
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    const figures: ProcessUsage = { cpuUs: usage.userCPUTime + usage.systemCPUTime, maxRssBytes: usage.maxRSS * 1024 }
    writeFileSync(target, JSON.stringify(figures))
  })
}
