// Shard 1 of the fault matrix (fault-matrix-suite.ts), in its own lab instance "matrix-0".
import { defineMatrixShard } from './fault-matrix-suite.js';

defineMatrixShard(0);
