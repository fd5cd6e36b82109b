/**
 * The built-in text the testkit tokenizer learns its merges from: short chat-like English, so common
 * words and word pieces become single tokens. Changing it changes every token id: don't, or bump the
 * tokenizer's version in the docs.
 */
export const trainingCorpus = [
  'Hello! How are you today? I am fine, thank you. What would you like to talk about?',
  'Can you help me with my homework? Of course, I would be happy to help you with that.',
  'The weather is nice today, so we are going to the park in the afternoon.',
  'Please remember that my name is Alice and I live in a small town near the sea.',
  'What is the capital of France? The capital of France is Paris.',
  'I like to read books about history, science and the stars in the night sky.',
  'Do you remember what I told you about my cat? Yes, you said your cat is called Tom.',
  'Thank you for the answer. You are welcome! Is there anything else I can do for you?',
  'Tell me a story about a dragon who wanted to learn how to read and write.',
  'Once upon a time there was a little dragon that lived in the mountains with the other dragons.',
  'The user asked the assistant a question, and the assistant gave a short and helpful answer.',
  'We should meet again tomorrow morning to finish the work that we started this week.',
  'My favourite food is pasta with tomato sauce, and I also like to eat fresh bread.',
  'It is important to drink water, to sleep well and to walk outside every day.',
  'The number of people in the room was twelve, and then three more came in at noon.',
  'I think that the answer is correct, but let me check it one more time to be sure.',
  'Where did you put the keys? I put them on the table next to the door of the kitchen.',
  'She said that she would call me back in the evening when she gets home from work.',
  'Learning a new language takes time, practice and a lot of patience with yourself.',
  'Good morning! Good evening! Good night! See you later, and have a nice day.',
].join('\n');
