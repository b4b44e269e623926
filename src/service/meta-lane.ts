/**
 * One batch at a time to Meta, process-wide. actions-core's response middleware calls `agent.destroy()` on the
 * request's agent after every response, and the destination shares one keep-alive agent across the process: a
 * second request in flight on it has its socket destroyed ("socket hang up") although Meta may already have the
 * events, so they would be resent. Until the destination gives each request an agent of its own, batches queue here;
 * each batcher keeps filling its queued batch meanwhile, so a slow Meta means bigger batches, not more of them.
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.catch(() => undefined)
    return result
  }
}

export const metaLane = new Lane()
