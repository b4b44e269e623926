/**
 * The sandbox in a child process of its own, so its CPU and memory stay out of the measured process.
 * Protocol over the fork IPC channel: it sends { type: 'ready', url } once listening; it answers
 * { type: 'stats' } with { type: 'stats', requests, cpuUs, rss }; it closes when the parent disconnects.
 */
import { startSandbox } from '../src/sandbox'

export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'stats'; requests: number; cpuUs: number; rss: number }
  | { type: 'error'; message: string }

async function main(): Promise<void> {
  if (!process.send) throw new Error('sandbox-process must be started with child_process.fork')
  // keepEvents: false keeps memory flat over 100,000 events; every request is still validated like Meta would.
  const sandbox = await startSandbox({ keepEvents: false })
  const reply = (message: ChildMessage) => process.send?.(message)
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stats') {
      const { user, system } = process.cpuUsage()
      reply({ type: 'stats', requests: sandbox.requests(), cpuUs: user + system, rss: process.memoryUsage.rss() })
    }
  })
  process.on('disconnect', () => {
    void sandbox.close().finally(() => process.exit(0))
  })
  reply({ type: 'ready', url: sandbox.url })
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: (error as Error).message })
  process.exit(1)
})
