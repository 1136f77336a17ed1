// A line chart as a PNG, for /pnl: no canvas or image library exists that runs in a Lambda without
// native code, and a chart is a few lines and a rectangle — so this is a tiny rasteriser and the PNG
// container (RFC 2083: signature, IHDR, zlib-compressed IDAT scanlines, IEND, CRC-32 per chunk).
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const body = Buffer.concat([head.subarray(4), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([head.subarray(0, 4), body, crc]);
}

/** PNG of a line chart of `values` (left to right), with a baseline at `base` when given. */
export function lineChartPng(
  values: readonly number[],
  opts: { width?: number; height?: number; base?: number } = {},
): Buffer {
  const w = opts.width ?? 640;
  const h = opts.height ?? 320;
  const px = new Uint8Array(w * h * 3).fill(255);
  const set = (x: number, y: number, [r, g, b]: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const i = (y * w + x) * 3;
    px[i] = r;
    px[i + 1] = g;
    px[i + 2] = b;
  };
  const line = (
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    color: [number, number, number],
    thick = 1,
  ) => {
    // Bresenham.
    let [x, y] = [Math.round(x0), Math.round(y0)];
    const [xe, ye] = [Math.round(x1), Math.round(y1)];
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      for (let t = 0; t < thick; t++) set(x, y + t, color);
      if (x === xe && y === ye) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  };
  const pad = 24;
  const all = opts.base !== undefined ? [...values, opts.base] : [...values];
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (!Number.isFinite(min) || min === max) {
    min = (Number.isFinite(min) ? min : 0) - 1;
    max = min + 2;
  }
  const X = (i: number) =>
    pad + (values.length > 1 ? (i / (values.length - 1)) * (w - 2 * pad) : (w - 2 * pad) / 2);
  const Y = (v: number) => pad + (1 - (v - min) / (max - min)) * (h - 2 * pad);
  const grey: [number, number, number] = [200, 204, 212];
  line(pad, h - pad, w - pad, h - pad, grey);
  line(pad, pad, pad, h - pad, grey);
  if (opts.base !== undefined) line(pad, Y(opts.base), w - pad, Y(opts.base), [150, 156, 168]);
  for (let i = 1; i < values.length; i++)
    line(X(i - 1), Y(values[i - 1]!), X(i), Y(values[i]!), [37, 99, 235], 2);
  if (values.length === 1) line(X(0) - 2, Y(values[0]!), X(0) + 2, Y(values[0]!), [37, 99, 235], 3);

  const raw = new Uint8Array((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0; // filter: none
    raw.set(px.subarray(y * w * 3, (y + 1) * w * 3), y * (w * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
