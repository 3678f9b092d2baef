// The reference bench server: npm socket.io 4.8.4 on its default "ws" engine, with the same behaviour as
// bench/DotnetServer. Started by the load generator (bench/LoadGenerator) as
//   node --expose-gc bench/node-server.mjs --port N [--parser json|msgpack] [--redis host:port]
// --redis joins a cluster through @socket.io/redis-adapter 8.3.0 (classic pub/sub, node-redis 4 clients).
// It listens on 127.0.0.1 only, prints "READY" once listening, answers "gc" on stdin with "HEAP <bytes>" (the JS
// heap in use after a full collection), and exits when stdin closes, so it never outlives the generator.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import msgpackParser from "socket.io-msgpack-parser";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const port = Number(option("port", "3000"));
const parser = option("parser", "json");
const redis = option("redis", "");

let adapter;
if (redis) {
  const pub = createClient({ url: `redis://${redis}` });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  adapter = createAdapter(pub, sub);
}

const httpServer = createServer();
const io = new Server(httpServer, {
  ...(parser === "msgpack" ? { parser: msgpackParser } : {}),
  serveClient: false,
  cors: undefined,
  ...(adapter ? { adapter } : {}),
});

io.on("connection", (socket) => {
  // join(rooms, ack): rooms is an array of room names.
  socket.on("join", (rooms, ack) => {
    socket.join(rooms);
    if (typeof ack === "function") ack();
  });
  // publish(room, payload): fan the payload out to the room.
  socket.on("publish", (room, payload) => {
    io.to(room).emit("msg", payload);
  });
  // echo(payload, ack): the acknowledgement carries the payload back.
  socket.on("echo", (payload, ack) => {
    if (typeof ack === "function") ack(payload);
  });
  // ping-ev(payload): answered with a pong-ev event carrying the payload (the polling exchange).
  socket.on("ping-ev", (payload) => {
    socket.emit("pong-ev", payload);
  });
});

const commands = createInterface({ input: process.stdin });
commands.on("line", (line) => {
  if (line.trim() === "gc") {
    global.gc?.();
    global.gc?.();
    process.stdout.write(`HEAP ${process.memoryUsage().heapUsed}\n`);
  }
});
commands.on("close", () => process.exit(0));

httpServer.listen(port, "127.0.0.1", () => process.stdout.write("READY\n"));
