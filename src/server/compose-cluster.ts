/**
 * What compose() needs of the at-scale mode (NATS JetStream), imported only when a NATS connection is
 * configured: the NATS client libraries cost every store command and every embedded server ~85 ms of CPU
 * to load, for nothing when there is no cluster.
 */
export { connectNats } from './platform/cluster/nats.js';
export { ensureEventStream } from './platform/cluster/streams.js';
export { createNatsBus } from './platform/cluster/nats-bus.js';
export { createEventStreamSink } from './modules/detection/cluster/event-sink.js';
export { createStageOne } from './modules/detection/cluster/stage-one.js';
export { stageOneCaughtUp } from './modules/detection/cluster/stage-one-progress.js';
