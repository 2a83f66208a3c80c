// The stock Yjs client (yjs 13 + y-websocket's WebsocketProvider), unchanged, as a
// browser would use it. Driven by tests/tests/e2e/interop.rs:
//
//   node client.mjs ws://HOST:PORT/sync ROOM TOKEN
//
// It joins ROOM, announces presence, writes "from-js;" into the text "text" and
// js=true into the map "meta", waits until another client's "from-rust;" arrives,
// then prints the document and the presence it sees as one JSON line and exits 0.
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const [serverUrl, room, token] = process.argv.slice(2)
if (!serverUrl || !room) {
  console.error('usage: node client.mjs ws://HOST:PORT/sync ROOM')
  process.exit(2)
}

const fail = (why) => {
  console.error(`interop client: ${why}`)
  process.exit(1)
}
setTimeout(() => fail('timed out'), 20_000).unref()

const doc = new Y.Doc()
const provider = new WebsocketProvider(serverUrl, room, doc, {
  WebSocketPolyfill: WebSocket,
  disableBc: true,
  // Browsers cannot set headers on a websocket, so the token rides in the query.
  params: token ? { token } : {},
})
provider.awareness.setLocalState({ name: 'js-client', agency: 'Interop' })
provider.on('connection-error', (event) => console.error('connection error', event?.message ?? ''))

const text = doc.getText('text')
provider.once('sync', (synced) => {
  if (!synced) fail('sync reported false')
  doc.transact(() => {
    text.insert(text.length, 'from-js;')
    doc.getMap('meta').set('js', true)
  })
})

const finish = () => {
  if (!text.toString().includes('from-rust;')) return
  // Give our own last update a moment to be echoed (confirmed by the server).
  setTimeout(() => {
    const presence = [...provider.awareness.getStates().values()]
    console.log(JSON.stringify({ text: text.toString(), meta: doc.getMap('meta').toJSON(), presence }))
    provider.destroy()
    process.exit(0)
  }, 200)
}
text.observe(finish)
