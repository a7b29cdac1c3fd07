import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { BodyTooLargeError, ReadBodyOptions, readBodyText } from '../../src/http/requestBody';

/** A request body stream fed by hand, so each test decides when chunks and the end arrive. */
function body(): IncomingMessage {
  return new IncomingMessage(new Socket());
}

/** `readBodyText` of a body that arrives as `chunks`, then ends. */
function readWhole(chunks: readonly Buffer[], maxBytes: number, options?: ReadBodyOptions): Promise<string> {
  const req = body();
  const read = readBodyText(req, maxBytes, options);
  for (const chunk of chunks) req.push(chunk);
  req.push(null);
  return read;
}

describe('readBodyText', () => {
  test('joins the chunks as UTF-8 text, multi-byte characters split across chunks included', async () => {
    const euro = Buffer.from('€');
    const chunks = [Buffer.concat([Buffer.from('{"a":"'), euro.subarray(0, 1)]), Buffer.concat([euro.subarray(1), Buffer.from('"}')])];
    await expect(readWhole(chunks, 100)).resolves.toBe('{"a":"€"}');
  });

  test('an empty body is the empty string', async () => {
    await expect(readWhole([], 100)).resolves.toBe('');
  });

  test('a body of exactly the limit is read', async () => {
    await expect(readWhole([Buffer.from('12345'), Buffer.from('67890')], 10)).resolves.toBe('1234567890');
  });

  test('one byte over the limit rejects at once, without waiting for the end, and stops reading', async () => {
    const req = body();
    const read = readBodyText(req, 10);
    req.push(Buffer.from('12345'));
    req.push(Buffer.from('678901'));
    const error = await read.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ limit: 10, message: 'Request body exceeds 10 bytes' });
    expect(req.isPaused()).toBe(true);
    expect(req.listenerCount('data')).toBe(0);
  }, 2_000);

  test('with drainExcess, an oversized body is read to its end and dropped before rejecting', async () => {
    const req = body();
    let settled = false;
    const read = readBodyText(req, 4, { drainExcess: true }).finally(() => {
      settled = true;
    });
    read.catch(() => undefined);
    req.push(Buffer.from('12345'));
    req.push(Buffer.from('6789'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(req.isPaused()).toBe(false);
    req.push(null);
    await expect(read).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(req.readableEnded).toBe(true);
  });

  test('with drainExcess, a body within the limit is read as usual', async () => {
    await expect(readWhole([Buffer.from('1234')], 4, { drainExcess: true })).resolves.toBe('1234');
  });

  test('a stream error rejects with that error', async () => {
    const req = body();
    const read = readBodyText(req, 100);
    req.push(Buffer.from('12'));
    req.destroy(new Error('connection reset'));
    await expect(read).rejects.toThrow('connection reset');
  });
});
