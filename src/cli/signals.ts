import { messageOf } from './errors'
import { note } from './output'

/** Resolves on the first SIGINT or SIGTERM, after which `close` runs and the process exits 0 (1 if close fails). */
export function closeOnSignal(close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      note(`${signal}: shutting down…`)
      close()
        .then(() => {
          process.exitCode = 0
        })
        .catch((error) => {
          note(`meta-pixel: could not shut down cleanly: ${messageOf(error)}`)
          process.exitCode = 1
        })
        .finally(resolve)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
