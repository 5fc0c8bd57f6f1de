import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerAddress } from '../../contract/serverAddress.js';

const origin = (input: string): string => {
  const result = parseServerAddress(input);
  return result.ok ? result.origin : `refused: ${result.code}`;
};

test('a typed address becomes the origin the app talks to', () => {
  assert.equal(origin('https://blog.example/some/page?x=1'), 'https://blog.example');
  assert.equal(origin('  http://127.0.0.1:4300/  '), 'http://127.0.0.1:4300');
});

test('without a scheme, remote servers get https and only this machine gets http', () => {
  assert.equal(origin('blog.example'), 'https://blog.example');
  assert.equal(origin('blog.example:8443'), 'https://blog.example:8443');
  assert.equal(origin('localhost:4300'), 'http://localhost:4300');
  assert.equal(origin('127.0.0.1:4300'), 'http://127.0.0.1:4300');
  assert.equal(origin('localhost.evil.example'), 'https://localhost.evil.example');
});

test('anything that is not an http(s) address is refused', () => {
  assert.equal(origin('ftp://blog.example'), 'refused: invalid_url');
  assert.equal(origin('javascript:alert(1)'), 'refused: invalid_url');
  assert.equal(origin('http://'), 'refused: invalid_url');
  assert.equal(origin(''), 'refused: invalid_url');
  assert.equal(origin('   '), 'refused: invalid_url');
  assert.equal(origin('https://ana:pw@blog.example'), 'refused: invalid_url');
});
