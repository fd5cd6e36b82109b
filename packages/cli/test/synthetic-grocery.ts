/**
 * Grocery Shopping episodes in the `keys.jsonl` format, written here (the SirLLM data is never copied
 * into the repository): a request for a grocery, short everyday questions with five options, then the
 * recall question with four groceries.
 */
const groceries = [
  'cheese',
  'chocolate',
  'peanut butter',
  'olive oil',
  'bananas',
  'coffee',
  'salmon',
  'honey',
];

const questions: readonly [stem: string, choices: readonly string[], answer: number][] = [
  [
    'Where do people usually keep milk at home?',
    ['refrigerator', 'garage', 'bookshelf', 'bathtub', 'garden'],
    0,
  ],
  ['What do you use to cut paper?', ['spoon', 'scissors', 'pillow', 'bucket', 'candle'], 1],
  ['Where would you see many stars at night?', ['basement', 'closet', 'sky', 'drawer', 'oven'], 2],
  ['What do people wear on their feet?', ['hats', 'gloves', 'scarves', 'shoes', 'rings'], 3],
  ['Where does a pilot work?', ['kitchen', 'library', 'farm', 'school', 'airplane'], 4],
  ['What is used to write on a blackboard?', ['chalk', 'glue', 'soap', 'rope', 'sand'], 0],
  ['Where would you find a lot of books?', ['pool', 'library', 'stadium', 'forest', 'beach'], 1],
  ['What do you need to open a locked door?', ['towel', 'plate', 'key', 'shoe', 'lamp'], 2],
];

const labels = 'ABCDE';

/** One episode's lines: the request, `distractors` questions, the recall question (gold: the item). */
export function syntheticEpisodeLines(episode: number, distractors: number): string[] {
  const item = groceries[episode % groceries.length] as string;
  const others = groceries.filter((grocery) => grocery !== item).slice(episode % 3, (episode % 3) + 3);
  const options = [...others];
  const gold = episode % 4;
  options.splice(gold, 0, item);
  const lines: object[] = [
    {
      id: `key_${episode}`,
      question: { stem: `I want you to buy the GROCERY: [${item}]. `, choices: [{ text: 'OK', label: 'A' }] },
      answerKey: 'A',
    },
  ];
  for (let turn = 0; turn < distractors; turn++) {
    const [stem, choices, answer] = questions[
      (episode + turn) % questions.length
    ] as (typeof questions)[number];
    lines.push({
      answerKey: labels[answer],
      id: `${episode}`,
      question: { stem, choices: choices.map((text, index) => ({ label: labels[index], text })) },
    });
  }
  lines.push({
    id: `answer_${episode}`,
    question: {
      stem: 'Which one is the GROCERY that I want you to buy earlier?',
      choices: options.map((text, index) => ({ text, label: labels[index] })),
    },
    answerKey: labels[gold],
  });
  return lines.map((line) => JSON.stringify(line));
}

/** `keys.jsonl` text: `first` episodes without distractors, then `count` with `distractors` each. */
export function syntheticKeys(first: number, count: number, distractors: number): string {
  const lines: string[] = [];
  for (let episode = 0; episode < first; episode++) lines.push(...syntheticEpisodeLines(episode, 0));
  for (let episode = first; episode < first + count; episode++) {
    lines.push(...syntheticEpisodeLines(episode, distractors));
  }
  return lines.join('\n');
}
