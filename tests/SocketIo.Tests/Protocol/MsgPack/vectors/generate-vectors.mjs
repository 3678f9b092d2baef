// Generates msgpack test vectors with the npm reference implementation, for NotepackVectorTests.
//
//   node generate-vectors.mjs <output.json>
//
// Needs `npm ci` at the repository root: notepack.io and socket.io-msgpack-parser are resolved from
// the root node_modules (Node walks up from this file). The bytes in every vector come from those
// packages, except the vectors marked source "spec": byte sequences notepack never writes but does
// read (float 32, foreign ext types, out-of-range dates, ...), built here from the msgpack
// specification. Every "expected" value is derived from what notepack / the npm parser DECODE the
// bytes to, never written by hand.

import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const notepack = require("notepack.io");
const parser = require("socket.io-msgpack-parser");

const EXPECTED_VERSIONS = { "notepack.io": "2.2.0", "socket.io-msgpack-parser": "3.0.2" };
for (const [name, version] of Object.entries(EXPECTED_VERSIONS)) {
  const actual = require(`${name}/package.json`).version;
  if (actual !== version) {
    throw new Error(`${name} is ${actual}, the vectors are defined against ${version}: run npm ci at the repository root`);
  }
}

const output = process.argv[2];
if (!output) {
  throw new Error("usage: node generate-vectors.mjs <output.json>");
}

// ---------------------------------------------------------------------------------------------
// The neutral model: what a Socket.IO JSON-parser client would have sent for the decoded value,
// with binaries replaced by {"_placeholder":true,"num":N} placeholders (numbered in the order the
// binaries appear in the msgpack bytes) and integers printed exactly.
// ---------------------------------------------------------------------------------------------

function isBinary(value) {
  return Buffer.isBuffer(value) || value instanceof ArrayBuffer;
}

function hexOf(value) {
  return Buffer.from(value instanceof ArrayBuffer ? new Uint8Array(value) : value).toString("hex");
}

function neutralJson(value, bins) {
  if (value === undefined || value === null) {
    return "null";
  }
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "number":
      if (!Number.isFinite(value)) {
        return "null";
      }
      return Number.isInteger(value) ? BigInt(value).toString() : JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
  }
  if (isBinary(value)) {
    bins.push(hexOf(value));
    return `{"_placeholder":true,"num":${bins.length - 1}}`;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? "null" : JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => neutralJson(item, bins)).join(",")}]`;
  }
  const members = [];
  for (const key of Object.keys(value)) {
    if (value[key] !== undefined) {
      members.push(`${JSON.stringify(key)}:${neutralJson(value[key], bins)}`);
    }
  }
  return `{${members.join(",")}}`;
}

// The JavaScript value the neutral JSON stands for, binaries restored: what notepack would encode
// if the .NET side sent the neutral payload back. Integers travel as BigInt-safe text, so parse
// them from the JSON text only where they are exact doubles (the vectors keep to those).
function fromNeutral(json, bins) {
  return JSON.parse(json, function (key, value) {
    if (value && typeof value === "object" && value._placeholder === true) {
      return Buffer.from(bins[value.num], "hex");
    }
    return value;
  });
}

const values = [];
const packets = [];
const rejected = [];
const stricter = [];

function valueVector(name, value, options = {}) {
  const bytes = options.bytes ?? notepack.encode(value);
  const decoded = notepack.decode(bytes);
  const bins = [];
  const json = neutralJson(decoded, bins);
  const reencodeHex = notepack.encode(fromNeutral(json, bins)).toString("hex");
  values.push({
    name,
    source: options.bytes ? "spec" : "notepack",
    hex: bytes.toString("hex"),
    json,
    attachments: bins,
    reencodeHex,
    keyOrderDiffers: options.keyOrderDiffers ?? false,
  });
}

function decodeWithParser(bytes) {
  const decoder = new parser.Decoder();
  let result;
  decoder.on("decoded", (packet) => {
    result = packet;
  });
  decoder.add(bytes);
  return result;
}

function encodeWithParser(packet) {
  const encoded = new parser.Encoder().encode(packet);
  if (encoded.length !== 1) {
    throw new Error("the msgpack parser should write one message per packet");
  }
  return encoded[0];
}

function packetVector(name, packet, options = {}) {
  const bytes = options.bytes ?? encodeWithParser(packet);
  const decoded = decodeWithParser(bytes);
  const bins = [];
  const data = decoded.data === undefined ? null : neutralJson(decoded.data, bins);

  // The canonical re-encoding: keys in the order type, nsp, data, id, absent ones left out.
  const canonical = { type: decoded.type, nsp: decoded.nsp };
  if (data !== null) {
    canonical.data = fromNeutral(data, bins);
  }
  if (decoded.id !== undefined) {
    canonical.id = decoded.id;
  }
  packets.push({
    name,
    source: options.bytes ? "spec" : "notepack",
    hex: bytes.toString("hex"),
    type: decoded.type,
    nsp: decoded.nsp,
    id: decoded.id === undefined ? null : BigInt(decoded.id).toString(),
    data,
    attachments: bins,
    reencodeHex: notepack.encode(canonical).toString("hex"),
  });
}

// Bytes the npm decoder refuses; the .NET parser must refuse them too.
function rejectedVector(name, bytes) {
  let error;
  try {
    decodeWithParser(bytes);
  } catch (e) {
    error = String(e.message);
  }
  if (error === undefined) {
    throw new Error(`vector "${name}": the npm parser accepts it, so it does not belong in "rejected"`);
  }
  rejected.push({ name, hex: bytes.toString("hex"), npmError: error });
}

// Bytes the npm decoder accepts but a server should not (see MsgPackPacketParser's remarks).
function stricterVector(name, bytes, reason) {
  decodeWithParser(bytes); // throws if npm refuses it: then it belongs in "rejected"
  stricter.push({ name, hex: bytes.toString("hex"), reason });
}

// Minimal msgpack building blocks for the "spec" vectors, straight from the specification.
const spec = {
  fixmap: (n) => Buffer.from([0x80 | n]),
  fixarray: (n) => Buffer.from([0x90 | n]),
  str: (s) => notepack.encode(s),
  float32: (v) => {
    const b = Buffer.alloc(5);
    b[0] = 0xca;
    b.writeFloatBE(v, 1);
    return b;
  },
  float64: (v) => {
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeDoubleBE(v, 1);
    return b;
  },
  fixext: (code, type, data) => Buffer.concat([Buffer.from([code, type & 0xff]), Buffer.from(data)]),
  date: (ms) => {
    const b = Buffer.alloc(10);
    b[0] = 0xd7;
    b[1] = 0;
    b.writeBigInt64BE(BigInt(ms), 2);
    return b;
  },
};

function packetBytes(type, nsp, dataBytes, extra = []) {
  const parts = [spec.str("type"), notepack.encode(type), spec.str("nsp"), notepack.encode(nsp)];
  let count = 2;
  if (dataBytes) {
    parts.push(spec.str("data"), dataBytes);
    count++;
  }
  for (const [key, valueBytes] of extra) {
    parts.push(spec.str(key), valueBytes);
    count++;
  }
  return Buffer.concat([spec.fixmap(count), ...parts]);
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

valueVector("nil", null);
valueVector("true", true);
valueVector("false", false);
for (const n of [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 63, 2 ** 64 - 2048]) {
  valueVector(`int ${n}`, n);
}
for (const n of [-1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -Number.MAX_SAFE_INTEGER, -(2 ** 63)]) {
  valueVector(`int ${n}`, n);
}
valueVector("negative zero (notepack writes int 0)", -0);
for (const f of [1.5, -0.1, 0.1 + 0.2, 1e21, 1e-7, 123456.789, Number.MAX_VALUE, Number.MIN_VALUE, -Number.EPSILON]) {
  valueVector(`float64 ${f}`, f);
}
valueVector("float64 NaN", NaN);
valueVector("float64 Infinity", Infinity);
valueVector("float64 -Infinity", -Infinity);
valueVector("float32 0.1", undefined, { bytes: spec.float32(0.1) });
valueVector("float32 -2.5", undefined, { bytes: spec.float32(-2.5) });
valueVector("float32 NaN", undefined, { bytes: spec.float32(NaN) });
valueVector("float64 -0 (spec)", undefined, { bytes: spec.float64(-0) });
valueVector("float64 integral 2.0 (spec)", undefined, { bytes: spec.float64(2) });

for (const length of [0, 1, 31, 32, 255, 256, 65535, 65536]) {
  valueVector(`ascii string of ${length}`, "x".repeat(length));
}
valueVector("unicode string", "héllo wörld ✓ 🌍 日本語");
valueVector("long unicode string", "日本語のテキスト🌍".repeat(40));
valueVector("string needing JSON escapes", 'quote" back\\ nl\n tab\t nul\u0000 ls\u2028 del\u007f <script>&');

for (const length of [0, 1, 255, 256, 65535, 65536]) {
  valueVector(`Buffer of ${length}`, Buffer.alloc(length, 0xab));
}
valueVector("Uint8Array (ext type 0)", new Uint8Array([1, 2, 3]));
valueVector("ArrayBuffer of 300 (ext 16 type 0)", new Uint8Array(300).fill(7).buffer);
valueVector("empty ArrayBuffer (ext 8 type 0)", new ArrayBuffer(0));

valueVector("empty array", []);
valueVector("array of 15", Array.from({ length: 15 }, (_, i) => i));
valueVector("array of 16", Array.from({ length: 16 }, (_, i) => i));
valueVector("array of 65535", new Array(65535).fill(null));
valueVector("array of 65536", new Array(65536).fill(1));
valueVector("empty map", {});
const mapOf = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
valueVector("map of 15", mapOf(15));
valueVector("map of 16", mapOf(16));
valueVector("map of 65535", mapOf(65535));
valueVector("map of 65536", mapOf(65536));
valueVector("integer-like keys", { b: 1, 2: "two", 1: "one", a: [] }, { keyOrderDiffers: true });

valueVector("nested objects", {
  user: { id: 12345, name: "Zoë", tags: ["a", "b"], address: { city: "Zürich", zip: "8000", geo: [47.37, 8.54] } },
  items: [{ sku: "X1", qty: 2, price: 9.99 }, { sku: "Y2", qty: 1, price: 100 }],
  flags: { admin: false, beta: true, none: null },
  empty: { list: [], map: {} },
});
valueVector("binary inside nested structure", { files: [{ name: "a.png", bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }], thumb: Buffer.from("thumb") });
valueVector("undefined inside array and object", [1, undefined, { a: undefined, b: 2 }]);
valueVector("undefined alone", undefined);
valueVector("dates", [new Date(0), new Date(1700000000123), new Date(-1), new Date(-62198755200000), new Date(8.64e15), new Date(-8.64e15), new Date(253402300800000)]);
valueVector("date beyond the JavaScript range (spec)", undefined, { bytes: spec.date(8.64e15 + 1) });
valueVector("foreign fixext 2, type 5 (spec)", undefined, { bytes: spec.fixext(0xd5, 5, [1, 2]) });
valueVector("foreign fixext 8, type -1 (spec: msgpack timestamp)", undefined, { bytes: spec.fixext(0xd7, -1, [0, 0, 0, 0, 0x65, 0x53, 0xf1, 0x00]) });
valueVector("fixext 4, type 0 (spec: not a notepack type-0 form)", undefined, { bytes: spec.fixext(0xd6, 0, [9, 8, 7, 6]) });
valueVector(
  "map with non-string keys (spec)",
  undefined,
  {
    bytes: Buffer.concat([
      spec.fixmap(5),
      notepack.encode(1), notepack.encode("int"),
      notepack.encode(-2), notepack.encode("negative"),
      notepack.encode(1.5), notepack.encode("float"),
      notepack.encode(true), notepack.encode("bool"),
      notepack.encode(null), notepack.encode("nil"),
    ]),
    keyOrderDiffers: true,
  });

// ---------------------------------------------------------------------------------------------
// Packets the npm parser accepts (and so does the .NET one)
// ---------------------------------------------------------------------------------------------

packetVector("CONNECT main namespace", { type: 0, nsp: "/" });
packetVector("CONNECT with auth", { type: 0, nsp: "/admin", data: { token: "abc", n: 1 } });
packetVector("DISCONNECT", { type: 1, nsp: "/chat" });
packetVector("EVENT", { type: 2, nsp: "/", data: ["message", "hello"] });
packetVector("EVENT name only", { type: 2, nsp: "/", data: ["ping"] });
for (const id of [0, 1, 127, 128, 65536, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
  packetVector(`EVENT with id ${id}`, { type: 2, nsp: "/", data: ["ev", id], id });
}
packetVector("EVENT with binary", { type: 2, nsp: "/upload", data: ["file", Buffer.from([1, 2, 3]), { meta: { parts: [Buffer.from("part"), Buffer.alloc(0)] } }], id: 9 });
packetVector("EVENT with unicode", { type: 2, nsp: "/日本", data: ["チャット", { text: "こんにちは 🌍" }] });
packetVector("EVENT with big ints and floats", { type: 2, nsp: "/", data: ["nums", 2 ** 53, -(2 ** 63), 2 ** 64 - 2048, 0.5, -1e-9, 1e300] });
packetVector("EVENT with empty array and map", { type: 2, nsp: "/", data: ["empty", [], {}] });
packetVector("EVENT with Date and undefined", { type: 2, nsp: "/", data: ["when", new Date(1700000000000), undefined, { a: undefined }] });
packetVector("EVENT with id undefined (absent)", { type: 2, nsp: "/", data: ["x"], id: undefined });
packetVector("EVENT with unknown key", { type: 2, nsp: "/", data: ["x"], extra: { deep: [1, 2, { z: Buffer.from([0]) }] } });
packetVector("EVENT with keys in another order", { id: 3, data: ["x", 1], nsp: "/", type: 2 });
let deepest = ["x"];
for (let i = 0; i < 62; i++) {
  deepest = [deepest];
}
packetVector("EVENT data nested 64 levels (the .NET default limit)", { type: 2, nsp: "/", data: ["deep", deepest] });
packetVector("ACK empty", { type: 3, nsp: "/", data: [], id: 5 });
packetVector("ACK with values", { type: 3, nsp: "/", data: [null, { ok: true }], id: 42 });
packetVector("ACK with binary", { type: 3, nsp: "/", data: [Buffer.from("result")], id: 7 });
packetVector("CONNECT_ERROR with object", { type: 4, nsp: "/", data: { message: "Not authorized", data: { code: 1 } } });
packetVector("CONNECT_ERROR with string", { type: 4, nsp: "/admin", data: "Invalid namespace" });

// ---------------------------------------------------------------------------------------------
// Packets the npm parser rejects
// ---------------------------------------------------------------------------------------------

const enc = (v) => notepack.encode(v);
rejectedVector("type is a string", enc({ type: "2", nsp: "/", data: ["x"] }));
rejectedVector("type BINARY_EVENT does not exist in this format", enc({ type: 5, nsp: "/", data: ["x"] }));
rejectedVector("type 7", enc({ type: 7, nsp: "/", data: ["x"] }));
rejectedVector("type -1", enc({ type: -1, nsp: "/" }));
rejectedVector("type 2.5", enc({ type: 2.5, nsp: "/", data: ["x"] }));
rejectedVector("type null", enc({ type: null, nsp: "/" }));
rejectedVector("type missing", enc({ nsp: "/", data: ["x"] }));
rejectedVector("nsp missing", enc({ type: 2, data: ["x"] }));
rejectedVector("nsp is a number", enc({ type: 2, nsp: 1, data: ["x"] }));
rejectedVector("nsp null", enc({ type: 0, nsp: null }));
rejectedVector("EVENT data is a string", enc({ type: 2, nsp: "/", data: "hello" }));
rejectedVector("EVENT data is a map", enc({ type: 2, nsp: "/", data: { a: 1 } }));
rejectedVector("EVENT data missing", enc({ type: 2, nsp: "/" }));
rejectedVector("EVENT data null", enc({ type: 2, nsp: "/", data: null }));
rejectedVector("ACK data missing", enc({ type: 3, nsp: "/", id: 1 }));
rejectedVector("ACK data is a string", enc({ type: 3, nsp: "/", data: "x", id: 1 }));
rejectedVector("CONNECT data is an array", enc({ type: 0, nsp: "/", data: [1] }));
rejectedVector("CONNECT data is a string", enc({ type: 0, nsp: "/", data: "x" }));
rejectedVector("DISCONNECT with data", enc({ type: 1, nsp: "/", data: {} }));
rejectedVector("CONNECT_ERROR data is a number", enc({ type: 4, nsp: "/", data: 1 }));
rejectedVector("CONNECT_ERROR data missing", enc({ type: 4, nsp: "/" }));
rejectedVector("id is a string", enc({ type: 2, nsp: "/", data: ["x"], id: "1" }));
rejectedVector("id 1.5", enc({ type: 2, nsp: "/", data: ["x"], id: 1.5 }));
rejectedVector("id null", enc({ type: 2, nsp: "/", data: ["x"], id: null }));
rejectedVector("id true", enc({ type: 3, nsp: "/", data: [], id: true }));
rejectedVector("id is an array", enc({ type: 3, nsp: "/", data: [], id: [1] }));
rejectedVector("top level is an array", enc([2, "/", ["x"]]));
rejectedVector("top level is a number", enc(2));
rejectedVector("top level is a string", enc("2/,[\"x\"]"));
rejectedVector("trailing byte", Buffer.concat([enc({ type: 2, nsp: "/", data: ["x"] }), Buffer.from([0xc0])]));
rejectedVector("two packets in one message", Buffer.concat([enc({ type: 2, nsp: "/", data: ["x"] }), enc({ type: 2, nsp: "/", data: ["y"] })]));
rejectedVector("empty message", Buffer.alloc(0));

// ---------------------------------------------------------------------------------------------
// Packets the npm parser accepts but the .NET parser refuses on purpose
// ---------------------------------------------------------------------------------------------

const pkt = (p) => encodeWithParser(p);
stricterVector("nsp without leading slash", pkt({ type: 0, nsp: "admin" }), "nsp must start with '/'");
stricterVector("empty nsp", pkt({ type: 2, nsp: "", data: ["x"] }), "nsp must start with '/'");
stricterVector("EVENT with empty data", pkt({ type: 2, nsp: "/", data: [] }), "an EVENT needs an event name");
stricterVector("EVENT name is a number", pkt({ type: 2, nsp: "/", data: [1, 2] }), "the event name must be a string");
stricterVector("EVENT name is null", pkt({ type: 2, nsp: "/", data: [null] }), "the event name must be a string");
for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
  stricterVector(`EVENT with reserved name ${name}`, pkt({ type: 2, nsp: "/", data: [name] }), "reserved event name");
}
stricterVector("ACK without id", pkt({ type: 3, nsp: "/", data: [] }), "an ACK needs an id");
stricterVector("ACK with negative id", pkt({ type: 3, nsp: "/", data: [], id: -1 }), "ids are not negative");
stricterVector("EVENT with negative id", pkt({ type: 2, nsp: "/", data: ["x"], id: -5 }), "ids are not negative");
stricterVector("id beyond int64", pkt({ type: 3, nsp: "/", data: [], id: 2 ** 64 - 2048 }), "ids fit in a long");
let deep = ["x"];
for (let i = 0; i < 64; i++) {
  deep = [deep];
}
stricterVector("EVENT data nested 66 levels", pkt({ type: 2, nsp: "/", data: ["deep", deep] }), "nesting limit 64");
stricterVector(
  "ACK data is a foreign ext (npm sees the array [5, Buffer])",
  packetBytes(3, "/", spec.fixext(0xd5, 5, [1, 2]), [["id", enc(1)]]),
  "data must be a msgpack array");
stricterVector("EVENT data is a string with invalid UTF-8", packetBytes(2, "/", Buffer.concat([spec.fixarray(1), Buffer.from([0xa2, 0xc3, 0x28])])), "strings must be valid UTF-8 (Node substitutes U+FFFD)");
stricterVector(
  "map key that is an array",
  packetBytes(2, "/", Buffer.concat([spec.fixarray(2), spec.str("ev"), spec.fixmap(1), spec.fixarray(1), enc(1), enc(2)])),
  "map keys must be scalars");

writeFileSync(
  output,
  JSON.stringify({
    generator: { node: process.version, ...EXPECTED_VERSIONS },
    values,
    packets,
    rejected,
    stricter,
  }));
console.log(`wrote ${values.length} values, ${packets.length} packets, ${rejected.length} rejected, ${stricter.length} stricter vectors to ${output}`);
