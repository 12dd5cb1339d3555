// The second peer of the benchmark: a minimal broadcast server on Node's `ws` (what someone
// would otherwise write in an afternoon). Every text frame received goes to every open
// connection, the sender included. Usage: node ws-broadcast.mjs [--port N] (0 = any free port);
// prints "listening on PORT". Loopback only.
import { WebSocketServer } from 'ws';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === 1) client.send(data, { binary: isBinary });
    }
  });
  socket.on('error', () => {});
});
wss.on('listening', () => console.log(`listening on ${wss.address().port}`));

const stop = () => {
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
