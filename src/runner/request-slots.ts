/**
 * The number of requests to Meta in flight, shared by every thread of one run: `--concurrency` is a total, whether
 * the requests come from the main thread or from worker threads. The count lives in a SharedArrayBuffer and is
 * taken with compare-and-swap, so no thread can overshoot; a full set is waited on with Atomics.waitAsync, which
 * does not block the waiting thread's event loop.
 */

// Atomics.waitAsync is in Node 16+, but in TypeScript's ES2024 lib, past this project's ES2023 target.
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number
) => { async: false; value: string } | { async: true; value: Promise<string> }
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync

const IN_FLIGHT = 0

export class RequestSlots {
  private readonly cells: Int32Array

  /** A new set of `limit` slots, or, with `shared`, the set another thread created (see `shared`). */
  constructor(
    readonly limit: number,
    shared: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)
  ) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error('the request concurrency must be at least 1')
    this.cells = new Int32Array(shared)
  }

  /** The memory to hand to a worker thread, which rebuilds the same set with `new RequestSlots(limit, shared)`. */
  get shared(): SharedArrayBuffer {
    return this.cells.buffer as SharedArrayBuffer
  }

  get inFlight(): number {
    return Atomics.load(this.cells, IN_FLIGHT)
  }

  async acquire(): Promise<void> {
    for (;;) {
      const current = Atomics.load(this.cells, IN_FLIGHT)
      if (current < this.limit) {
        if (Atomics.compareExchange(this.cells, IN_FLIGHT, current, current + 1) === current) return
        continue
      }
      // Returns at once when the count moved since it was read, so a release in between is never missed.
      const waited = waitAsync(this.cells, IN_FLIGHT, current)
      if (waited.async) await waited.value
    }
  }

  release(): void {
    Atomics.sub(this.cells, IN_FLIGHT, 1)
    Atomics.notify(this.cells, IN_FLIGHT, 1)
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await work()
    } finally {
      this.release()
    }
  }
}
