import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../src/errors/errorCode';
import { startStack } from './support/stack';
import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS } from '../src/simulator/demoData';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

test('the README error table lists every ErrorCode', () => {
  for (const code of Object.values(ErrorCode)) expect(readme).toContain(`| \`${code}\` |`);
});

test('the README documents the demo ids and tokens the simulator really uses', () => {
  for (const value of [DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_EMPTY_ORG_ID, ...Object.values(DEMO_TOKENS)]) {
    expect(readme).toContain(value);
  }
});

test('the README gives exactly the two set-up commands, and .ci/run runs the test one', () => {
  expect(readme).toContain('npm ci && npm start');
  expect(readme).toContain('npm ci && npm test');
  const ci = readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8');
  expect(ci).toMatch(/npm ci[\s\S]*npm test/);
});

describe('README examples answer what the README shows', () => {
  // Each ```sh block with `curl ... -d '<body>'` is followed by a ```json block with its answer.
  const examples = [...readme.matchAll(/```sh\n([\s\S]*?)```\s*\n```json\n([\s\S]*?)```/g)]
    .map(([, command, answer]) => ({ body: /-d '([^']+)'/.exec(command)?.[1], answer: answer.trim() }))
    .filter((example): example is { body: string; answer: string } => example.body !== undefined);

  test('there are examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  test.each(examples.map((example, index) => [index, example] as const))('example %i', async (_index, { body, answer }) => {
    const stack = await startStack();
    try {
      const response = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
        body,
      });
      expect(await response.json()).toEqual(JSON.parse(answer));
    } finally {
      await stack.close();
    }
  });
});
