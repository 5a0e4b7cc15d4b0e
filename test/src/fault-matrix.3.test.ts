// Shard 4 of the fault matrix (fault-matrix-suite.ts), in its own lab instance "matrix-3".
import { defineMatrixShard } from './fault-matrix-suite.js';

defineMatrixShard(3);
