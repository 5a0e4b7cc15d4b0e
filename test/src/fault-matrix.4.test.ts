// Shard 5 of the fault matrix (fault-matrix-suite.ts), in its own lab instance "matrix-4".
import { defineMatrixShard } from './fault-matrix-suite.js';

defineMatrixShard(4);
