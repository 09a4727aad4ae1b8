/**
 * A small, real packet capture for the investigation demo (libpcap format, Ethernet/IPv4/TCP): the
 * attacker's address opening TLS connections to the trading login gateway, one SYN every 150 ms —
 * what `tcpdump -w` at the gateway would have kept. Wireshark and tcpdump read it.
 */

/** RFC 1071 checksum of an IPv4 header. */
function ipChecksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += h.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const ipBytes = (ip: string) => Buffer.from(ip.split('.').map(Number));

/** One TCP SYN from `src` to `dst`:443 as an Ethernet frame. */
function synFrame(src: string, dst: string, srcPort: number, seq: number): Buffer {
  const eth = Buffer.from([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00]);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(40, 2);
  ip.writeUInt16BE(seq & 0xffff, 4);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip.writeUInt8(52, 8); // TTL
  ip.writeUInt8(6, 9); // TCP
  ipBytes(src).copy(ip, 12);
  ipBytes(dst).copy(ip, 16);
  ip.writeUInt16BE(ipChecksum(ip), 10);
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(srcPort, 0);
  tcp.writeUInt16BE(443, 2);
  tcp.writeUInt32BE(seq >>> 0, 4);
  tcp.writeUInt8(5 << 4, 12);
  tcp.writeUInt8(0x02, 13); // SYN
  tcp.writeUInt16BE(64240, 14);
  return Buffer.concat([eth, ip, tcp]);
}

/** A capture of `count` SYNs from `attacker` to `gateway`, starting at `start` (epoch ms). */
export function gatewayCapture(attacker: string, gateway: string, start: number, count = 40): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const packets: Buffer[] = [header];
  for (let i = 0; i < count; i++) {
    const at = start + i * 150;
    const frame = synFrame(attacker, gateway, 40_000 + i, 0x1000_0000 + i * 7919);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(at / 1000), 0);
    rec.writeUInt32LE((at % 1000) * 1000, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    packets.push(rec, frame);
  }
  return Buffer.concat(packets);
}
