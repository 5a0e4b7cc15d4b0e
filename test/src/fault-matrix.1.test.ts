// Shard 2 of the fault matrix (fault-matrix-suite.ts), in its own lab instance "matrix-1".
import { defineMatrixShard } from './fault-matrix-suite.js';

defineMatrixShard(1);
