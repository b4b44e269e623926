// A worker thread that exits with code 3 on the first chunk it is sent, as a crash would end it.
import process from 'node:process'
import { parentPort } from 'node:worker_threads'

parentPort.on('message', () => process.exit(3))
