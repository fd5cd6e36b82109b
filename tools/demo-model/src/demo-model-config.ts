/** Everything that decides the demo model: the data recipe, the tokenizer, the architecture, training. */
export const demoModelConfig = {
  name: 'sirllm-grocery-demo',
  seed: 20261125,
  data: {
    /**
     * Curriculum: the first conversations ask only for the dataset's 53 groceries, and training starts
     * on them alone (`training.curriculumSteps`): frequent items let the copy circuit form within a few
     * hundred steps; the broad 478-item prior comes after, from the main conversations.
     */
    curriculumConversations: 6_000,
    groceryConversations: 30_000,
    rockPaperScissorsGames: 300,
    rockPaperScissorsRounds: 24,
    maximumTokens: 1280,
    /** Conversations whose text the merges are learned from. */
    tokenizerCorpusConversations: 3_000,
  },
  tokenizer: { learnedMerges: 1_400 },
  model: {
    layers: 4,
    hiddenSize: 256,
    attentionHeads: 4,
    keyValueHeads: 2,
    intermediateSize: 688,
    ropeTheta: 10_000,
    rmsNormEpsilon: 1e-5,
    maximumPositionEmbeddings: 2048,
  },
  training: {
    steps: 2_200,
    curriculumSteps: 500,
    tokensPerStep: 4_096,
    peakLearningRate: 2e-3,
    warmupSteps: 150,
    finalLearningRateShare: 0.1,
    weightDecay: 0.05,
    beta1: 0.9,
    beta2: 0.95,
    gradientClip: 1.0,
    threads: 2,
  },
} as const;

export type DemoModelConfig = typeof demoModelConfig;
