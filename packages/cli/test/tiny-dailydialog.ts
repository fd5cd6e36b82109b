import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tiny data folder in the SirLLM data's DailyDialog layout: two dialogues, three scored items. */
export function tinyDailyDialogFolder(prefix = 'sirllm-cli-data-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, 'dailydialog'));
  const item = (id: string, answer: string) =>
    JSON.stringify({
      id,
      question: {
        stem: 'How are you today? ',
        choices: ['Fine, thanks.', 'It is blue.', 'Seven.', 'No idea.'].map((text, index) => ({
          text: ` ${text} `,
          label: 'ABCD'[index],
        })),
      },
      answerKey: answer,
    });
  writeFileSync(
    join(root, 'dailydialog', 'dailydialog.jsonl'),
    [item('0_1', 'A'), item('0_3', 'B'), item('1_1', 'A')].join('\n'),
  );
  return root;
}
