import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { BodyTooLargeError, readBodyText } from '../../src/http/requestBody';

/** A request body stream fed by hand, so each test decides when chunks and the end arrive. */
function body(): IncomingMessage {
  return new IncomingMessage(new Socket());
}

describe('readBodyText', () => {
  test('joins the chunks as UTF-8 text, multi-byte characters split across chunks included', async () => {
    const req = body();
    const read = readBodyText(req, 100);
    const euro = Buffer.from('€');
    req.push(Buffer.concat([Buffer.from('{"a":"'), euro.subarray(0, 1)]));
    req.push(Buffer.concat([euro.subarray(1), Buffer.from('"}')]));
    req.push(null);
    await expect(read).resolves.toBe('{"a":"€"}');
  });

  test('an empty body is the empty string', async () => {
    const req = body();
    const read = readBodyText(req, 100);
    req.push(null);
    await expect(read).resolves.toBe('');
  });

  test('a body of exactly the limit is read', async () => {
    const req = body();
    const read = readBodyText(req, 10);
    req.push(Buffer.from('12345'));
    req.push(Buffer.from('67890'));
    req.push(null);
    await expect(read).resolves.toBe('1234567890');
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
    const req = body();
    const read = readBodyText(req, 4, { drainExcess: true });
    req.push(Buffer.from('1234'));
    req.push(null);
    await expect(read).resolves.toBe('1234');
  });

  test('a stream error rejects with that error', async () => {
    const req = body();
    const read = readBodyText(req, 100);
    req.push(Buffer.from('12'));
    req.destroy(new Error('connection reset'));
    await expect(read).rejects.toThrow('connection reset');
  });
});
