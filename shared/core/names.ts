import { randomInt } from 'node:crypto'
import { InvalidSpecError } from './errors.js'

/** Docker's container name rule (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`), without the optional leading `/`. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/

const ADJECTIVES = [
  'admiring', 'agitated', 'amazing', 'angry', 'awesome', 'beautiful', 'blissful', 'bold', 'brave', 'busy',
  'charming', 'clever', 'compassionate', 'competent', 'condescending', 'confident', 'cool', 'cranky', 'crazy',
  'dazzling', 'determined', 'distracted', 'dreamy', 'eager', 'ecstatic', 'elastic', 'elated', 'elegant',
  'eloquent', 'epic', 'exciting', 'fervent', 'festive', 'flamboyant', 'focused', 'friendly', 'frosty', 'funny',
  'gallant', 'gifted', 'goofy', 'gracious', 'great', 'happy', 'hardcore', 'heuristic', 'hopeful', 'hungry',
  'infallible', 'inspiring', 'intelligent', 'interesting', 'jolly', 'jovial', 'keen', 'kind', 'laughing',
  'loving', 'lucid', 'magical', 'modest', 'musing', 'naughty', 'nervous', 'nice', 'nifty', 'nostalgic',
  'objective', 'optimistic', 'peaceful', 'pedantic', 'pensive', 'practical', 'priceless', 'quirky', 'quizzical',
  'recursing', 'relaxed', 'reverent', 'romantic', 'sad', 'serene', 'sharp', 'silly', 'sleepy', 'stoic',
  'strange', 'stupefied', 'suspicious', 'sweet', 'tender', 'thirsty', 'trusting', 'unruffled', 'upbeat',
  'vibrant', 'vigilant', 'vigorous', 'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous', 'zen',
]

const SCIENTISTS = [
  'albattani', 'allen', 'almeida', 'archimedes', 'babbage', 'banach', 'bardeen', 'bartik', 'bell', 'bhabha',
  'blackburn', 'bohr', 'booth', 'borg', 'bose', 'brahmagupta', 'brown', 'carson', 'cerf', 'chandrasekhar',
  'clarke', 'curie', 'darwin', 'davinci', 'dijkstra', 'einstein', 'elion', 'engelbart', 'euclid', 'euler',
  'faraday', 'fermat', 'fermi', 'feynman', 'franklin', 'galileo', 'gauss', 'goldberg', 'goodall', 'hamilton',
  'hawking', 'heisenberg', 'hermann', 'hodgkin', 'hopper', 'hypatia', 'jackson', 'jang', 'johnson', 'kalam',
  'kepler', 'khorana', 'knuth', 'kowalevski', 'lamarr', 'lamport', 'leakey', 'lovelace', 'lumiere', 'mahavira',
  'mayer', 'mccarthy', 'meitner', 'mendel', 'mirzakhani', 'morse', 'newton', 'nobel', 'noether', 'pasteur',
  'payne', 'perlman', 'pike', 'poincare', 'ptolemy', 'raman', 'ramanujan', 'ride', 'ritchie', 'rosalind',
  'sammet', 'shannon', 'shockley', 'sinoussi', 'stonebraker', 'swanson', 'tesla', 'thompson', 'torvalds',
  'turing', 'varahamihira', 'visvesvaraya', 'wescoff', 'wilbur', 'wiles', 'williams', 'wilson', 'wing',
  'wozniak', 'wright', 'yalow', 'yonath', 'zhukovsky',
]

/** A docker-style generated name such as `eager_turing`. Callers retry on a name conflict. */
export function generateName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${SCIENTISTS[randomInt(SCIENTISTS.length)]}`
}

/** Strips Docker's leading `/` and checks the name rule; throws InvalidSpecError with what to fix. */
export function normalizeName(raw: string): string {
  const name = raw.startsWith('/') ? raw.slice(1) : raw
  if (!NAME.test(name)) {
    throw new InvalidSpecError(
      `Invalid container name (${raw}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at most 128 characters`,
    )
  }
  return name
}
