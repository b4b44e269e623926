import { readFileSync } from 'node:fs'
import { join } from 'node:path'

// Read at run time: package.json sits one level above both src/ and the compiled dist/.
export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version
