// Writes src/api/schema.d.ts, the API's types, from the OpenAPI document the server
// prints (`board openapi`). The server binary is $SERVER_BIN (default
// ../target/debug/board, as `cargo build -p board-server` leaves it).
//
//   npm run gen:api               regenerate the file
//   npm run gen:api -- --check    fail if the committed file differs from what the server says

import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import openapiTS, { astToString } from 'openapi-typescript'

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const target = path.join(web, 'src/api/schema.d.ts')
const bin = path.resolve(web, process.env.SERVER_BIN ?? '../target/debug/board')
const check = process.argv.includes('--check')

let document
try {
  document = JSON.parse(execFileSync(bin, ['openapi'], { encoding: 'utf8', maxBuffer: 64 << 20 }))
} catch (e) {
  console.error(`gen:api: could not read the OpenAPI document from ${bin} openapi (set SERVER_BIN): ${e.message}`)
  process.exit(2)
}

// Operation ids must be unique for the generator; the server's own tests check it.
const seen = new Set()
for (const operations of Object.values(document.paths ?? {})) {
  for (const operation of Object.values(operations)) {
    const id = operation && typeof operation === 'object' ? operation.operationId : undefined
    if (!id) continue
    if (seen.has(id)) {
      console.error(`gen:api: the server's document uses the operationId "${id}" twice; name the handler's operation_id`)
      process.exit(2)
    }
    seen.add(id)
  }
}

const header = `// The REST API's types, generated from the server's OpenAPI document by
// \`npm run gen:api\` (scripts/gen-api.mjs). Do not edit: change the server, then regenerate.
// src/api/client.ts names them for the app.

`
const generated = header + astToString(await openapiTS(document, { alphabetize: true }))

if (check) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : ''
  if (committed !== generated) {
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gen-api-')), 'schema.d.ts')
    fs.writeFileSync(tmp, generated)
    console.error(
      `web/src/api/schema.d.ts is stale: it does not match the server's OpenAPI document.\n` +
        `Run \`cd web && SERVER_BIN=${bin} npm run gen:api\` and commit the result (what it would write is in ${tmp}).`,
    )
    process.exit(1)
  }
  console.log('web/src/api/schema.d.ts matches the server’s OpenAPI document')
} else {
  fs.writeFileSync(target, generated)
  console.log(`wrote ${path.relative(process.cwd(), target)}`)
}
