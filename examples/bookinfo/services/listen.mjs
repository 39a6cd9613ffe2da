// Starting and stopping a service's HTTP server on a loopback port chosen by the system (port 0).

/**
 * Listens with a Node http.Server on 127.0.0.1 and a free port; resolves with the port and a
 * close() that also ends kept-alive connections, so the process can exit.
 */
export async function listenOnLoopback(server) {
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
