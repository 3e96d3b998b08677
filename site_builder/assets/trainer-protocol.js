// The messages between the page and the trainer's worker (worker.mjs), in one module both import, so that the
// two sides cannot drift apart: each builder is the one place a message's shape is written down.
//   page -> worker: toWorker.*   worker -> page: fromWorker.*
// An error says what happened in one sentence for a reader (`message`), never a traceback; `fatal` means the
// interpreter is unusable (the page must start a new worker), `retry: "online"` that it failed for want of a
// network and is worth trying again when the browser says it is back online.

export const toWorker = {
  init: (runtimeURL) => ({ type: "init", runtimeURL }),
  start: (id, s, sampleEvery) => ({ type: "start", id, impl: s.impl, steps: s.steps, lr: s.lr, seed: s.seed,
                                    temperature: s.temperature, samples: s.samples, sampleEvery, data: s.data ?? null }),
  stop: (id) => ({ type: "stop", id }),
  sample: (id, temperature, samples) => ({ type: "sample", id, temperature, samples }),
  // a sample explained: the distributions run #id drew `name` from at `temperature`, letter by letter
  explain: (id, name, temperature) => ({ type: "explain", id, name, temperature }),
  // live values: trace a word from the seed's weights (state init | trained) or run #runId's; pairs as the build resolved them
  trace: (id, word, state, seed, pairs, runId = null) => ({ type: "trace", id, word, state, seed, pairs, runId }),
};

export const fromWorker = {
  loading: (stage, text) => ({ type: "loading", stage, text }),
  ready: (info) => ({ type: "ready", sources: info.sources, stages: info.stages, stagesAt: info.stagesAt, loadMs: info.loadMs, python: info.python }),
  started: (id, numDocs, vocabSize, at) => ({ type: "started", id, numDocs, vocabSize, at }), // at: epoch ms (the bench)
  progress: (id, rows, done, stepsPerSec) => ({ type: "progress", id, rows, done, stepsPerSec }), // rows: [[step, loss, doc]]
  peek: (id, step, names) => ({ type: "peek", id, step, names }),
  finished: (id, done, stopped, stepsPerSec, trainSeconds) => ({ type: "finished", id, done, stopped, stepsPerSec, trainSeconds }),
  sampling: (id, done, count) => ({ type: "sampling", id, done, count }),
  samples: (id, names, temperature) => ({ type: "samples", id, names, temperature }),
  // rows[i]: softmax(logits / temperature) over chars + BOS before drawing token drawn[i] (BOS = len(chars): the end)
  explained: (id, name, temperature, { chars, rows, drawn } = {}) => ({ type: "explained", id, name, temperature, chars, rows, drawn }),
  traced: (id, view) => ({ type: "traced", id, view }), // view: the JSON text of one live-values view
  error: (id, during, message, { fatal = false, retry = null } = {}) => ({ type: "error", id, during, message, fatal, retry }),
};

export const MESSAGE_TYPES = new Set([...Object.keys(toWorker), ...Object.keys(fromWorker)]);
