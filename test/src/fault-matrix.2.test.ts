// Shard 3 of the fault matrix (fault-matrix-suite.ts), in its own lab instance "matrix-2".
import { defineMatrixShard } from './fault-matrix-suite.js';

defineMatrixShard(2);
