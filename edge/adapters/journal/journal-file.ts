// An append-only journal file: one JSON record per frame, framed as [length u32 LE][crc32 u32 LE]
// [payload]. An append is one write(2) before the caller goes on, so a killed process (kill -9)
// loses nothing it appended: the page cache keeps it. sync() batches fdatasync for a power cut.
// Opening reads every whole frame and cuts the file at the first torn or corrupt one (a crash in
// the middle of a write leaves a short or garbled tail), so a later append never follows garbage.
import { closeSync, fdatasync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const HEADER = 8;
/** A frame longer than this is corruption, not a record (a snapshot, not the journal, holds big state). */
const MAX_FRAME = 256 * 1024 * 1024;

/** What opening found. */
export interface JournalContents {
  records: unknown[];
  /** Bytes cut from the end (a torn or corrupt tail); 0 when the file was whole. */
  droppedBytes: number;
}

/** Frames one record. */
export function frame(record: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, HEADER);
  return out;
}

/** Reads the whole frames of `data`; `end` is where the last whole one ends. */
export function readFrames(data: Buffer): { records: unknown[]; end: number } {
  const records: unknown[] = [];
  let at = 0;
  while (at + HEADER <= data.length) {
    const length = data.readUInt32LE(at);
    if (length > MAX_FRAME || at + HEADER + length > data.length) break;
    const payload = data.subarray(at + HEADER, at + HEADER + length);
    if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
    try {
      records.push(JSON.parse(payload.toString('utf8')));
    } catch {
      break;
    }
    at += HEADER + length;
  }
  return { records, end: at };
}

/** An open journal: append records, wait for them to be on disk, close. */
export class JournalFile {
  private bytes: number;
  private pending: Promise<void> | null = null;
  private closed = false;

  private constructor(private readonly fd: number, size: number, readonly path: string) {
    this.bytes = size;
  }

  /** Reads a journal's whole records without changing the file (an inspection while nothing writes). */
  static read(path: string): JournalContents {
    const data = readFileSync(path);
    const { records, end } = readFrames(data);
    return { records, droppedBytes: data.length - end };
  }

  /** Opens (creating) a journal, reads its records and cuts a torn tail. */
  static open(path: string): { journal: JournalFile; contents: JournalContents } {
    const fd = openSync(path, 'a+', 0o600);
    const size = fstatSync(fd).size;
    const data = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) read += readSync(fd, data, read, size - read, read);
    const { records, end } = readFrames(data);
    if (end < size) ftruncateSync(fd, end);
    return { journal: new JournalFile(fd, end, path), contents: { records, droppedBytes: size - end } };
  }

  /** The file's length. */
  get size(): number {
    return this.bytes;
  }

  /** Appends one record (one write; O_APPEND puts it at the end). */
  append(record: unknown): void {
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
    const buf = frame(record);
    let done = 0;
    try {
      while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done);
    } catch (error) {
      // A full disk can leave part of the frame: cut it, so the next append does not follow garbage
      // (the next start would drop everything after it). The caller's commit fails and rolls back.
      if (done > 0) ftruncateSync(this.fd, this.bytes);
      throw error;
    }
    this.bytes += buf.length;
  }

  /** Resolves once everything appended so far is on disk; appends meanwhile share one fdatasync. */
  sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending ??= new Promise<void>((resolve, reject) => {
      // Issued on the next turn, so the appends of every commit finishing this turn ride along.
      setImmediate(() => {
        this.pending = null;
        if (this.closed) return resolve();
        fdatasync(this.fd, (error) => (error ? reject(error) : resolve()));
      });
    });
    return this.pending;
  }

  /** Syncs and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.sync();
    this.closed = true;
    closeSync(this.fd);
  }
}
