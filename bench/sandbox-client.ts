import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { ChildMessage } from './sandbox-process'

export interface SandboxStats {
  requests: number
  cpuUs: number
  rss: number
}

/** Handle on the sandbox child process. */
export class SandboxChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string
  ) {}

  static start(timeoutMs = 10_000): Promise<SandboxChild> {
    // Compiled next to this file in dist/bench; the child gets no --cpu-prof or --expose-gc of ours.
    const child = fork(path.join(__dirname, 'sandbox-process.js'), [], { execArgv: [], stdio: 'inherit' })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill()
        reject(new Error('the sandbox child did not start in time'))
      }, timeoutMs)
      child.once('message', (message: ChildMessage) => {
        clearTimeout(timer)
        if (message.type === 'ready') resolve(new SandboxChild(child, message.url))
        else reject(new Error(`the sandbox child failed: ${'message' in message ? message.message : message.type}`))
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`the sandbox child exited with ${code}`))
      })
    })
  }

  stats(timeoutMs = 5_000): Promise<SandboxStats> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sandbox child did not answer')), timeoutMs)
      const onMessage = (message: ChildMessage) => {
        if (message.type !== 'stats') return
        clearTimeout(timer)
        this.child.off('message', onMessage)
        resolve({ requests: message.requests, cpuUs: message.cpuUs, rss: message.rss })
      }
      this.child.on('message', onMessage)
      this.child.send({ type: 'stats' })
    })
  }

  stop(timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve()
      const timer = setTimeout(() => {
        this.child.kill()
        resolve()
      }, timeoutMs)
      this.child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      this.child.disconnect()
    })
  }
}
