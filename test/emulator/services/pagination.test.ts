import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, readPage } from '../../../src/emulator/services/pagination.js';

describe('page tokens', () => {
  it('resume where the operation that issued them stopped', () => {
    expect(decodePageToken('ListAccounts', encodePageToken('ListAccounts', 40))).toBe(40);
  });

  it.each([
    ['another operation', encodePageToken('ListCreateAccountStatus', 40)],
    ['no base64 JSON', 'garbage!'],
    ['a negative position', Buffer.from('{"op":"ListAccounts","at":-1}').toString('base64url')],
    ['a fractional position', Buffer.from('{"op":"ListAccounts","at":1.5}').toString('base64url')],
    ['a JSON value that is no object', Buffer.from('42').toString('base64url')],
  ])('are refused when they come from %s', (_case, token) => {
    expect(decodePageToken('ListAccounts', token)).toBeUndefined();
  });
});

describe('readPage', () => {
  const letters = 'abcdefghij'.split('');

  it('reads a slice and points at the next position', () => {
    expect(readPage(letters.length, 2, 3, (index) => letters[index])).toEqual({ items: ['c', 'd', 'e'], next: 5 });
  });

  it('has no next position at the end', () => {
    expect(readPage(letters.length, 8, 5, (index) => letters[index])).toEqual({ items: ['i', 'j'], next: undefined });
  });

  it('skips what the reader rejects without revisiting it on the next page', () => {
    const visited: number[] = [];
    const vowels = (index: number) => {
      visited.push(index);
      return 'aeiou'.includes(letters[index]!) ? letters[index] : undefined;
    };
    const first = readPage(letters.length, 0, 2, vowels);
    const second = readPage(letters.length, first.next!, 2, vowels);
    expect([first.items, second.items]).toEqual([['a', 'e'], ['i']]);
    expect(visited).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
