// Seeded randomness for the emulator's state: the demo organization is a pure function of the seed, and so are the
// ids the services hand out when a seed is given, so two emulators started alike answer alike (without one, later
// ids are new at every start: see AwsWorldOptions.seed).
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

const LOWERCASE_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
const DIGITS = '0123456789';

export class SeededRandom {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed);
  }

  /** An integer in [from, to], both included. */
  integer(from: number, to: number): number {
    return uniformInt(this.generator, from, to);
  }

  /** True with the given probability (0–1). */
  chance(probability: number): boolean {
    return this.integer(0, 999_999) < probability * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.integer(0, items.length - 1)]!;
  }

  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** `length` characters of [a-z0-9], the alphabet of Organizations ids (`o-…`, `car-…`). */
  lowercaseAlphanumeric(length: number): string {
    return this.fromAlphabet(LOWERCASE_ALPHANUMERIC, length);
  }

  /** A 12-digit AWS account id that does not start with 0 (so it never looks like the management account). */
  accountId(): string {
    return String(this.integer(1, 9)) + this.fromAlphabet(DIGITS, 11);
  }

  private fromAlphabet(alphabet: string, length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[this.integer(0, alphabet.length - 1)];
    return text;
  }
}
